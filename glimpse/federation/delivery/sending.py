"""One delivery request: the activity posted to an inbox, signed by its actor, through the
safe fetcher (so every rule on where federation may connect applies), and its answer read
as delivered, to retry, or refused for good."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from glimpse.accounts.models import User
from glimpse.core import clock
from glimpse.federation.actors import actor_id, instance_actor_id
from glimpse.federation.delivery.backoff import is_transient, retry_after_seconds
from glimpse.federation.fetch import FetchRefused, safe_request
from glimpse.federation.keys import actor_key
from glimpse.federation.signatures import sign_request

ACTIVITY_TYPE = "application/activity+json"


@dataclass(frozen=True)
class Attempt:
    """What one request to an inbox came to."""

    status: int | None  # the answer's status; None when no answer came
    error: str  # why it did not succeed, "" when it did
    transient: bool  # whether the same request may succeed later
    retry_after: float | None  # seconds the server asked us to wait (429, 503)
    seconds: float  # how long the request took

    @property
    def delivered(self) -> bool:
        """Tell whether the inbox accepted the activity (2xx)."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def reached(self) -> bool:
        """Tell whether the server answered with something other than a failure of its
        own (any status but 5xx, 408 and 429): it is up, whether it took the activity or not."""
        return self.status is not None and not is_transient(self.status)


@dataclass(frozen=True)
class SignerCopy:
    """A copy of an actor's key id and private key, to sign once the actor is gone."""

    key_id: str
    private_pem: str


def post_activity(
    *, inbox: str, body: bytes, actor: User | None, signer: SignerCopy | None = None
) -> Attempt:
    """Post an activity's body to an inbox, signed by ``signer`` when given, else by
    ``actor`` (None: the instance)."""
    if signer is not None:
        key_id, private_pem = signer.key_id, signer.private_pem
    else:
        owner = actor_id(actor.username) if actor is not None else instance_actor_id()
        key_id, private_pem = f"{owner}#main-key", actor_key(actor).private_pem

    def sign(
        method: str, url: str, headers: Mapping[str, str], sent: bytes | None
    ) -> Mapping[str, str]:
        return sign_request(
            method=method,
            url=url,
            headers=headers,
            body=sent,
            key_id=key_id,
            private_key_pem=private_pem,
        )

    started = time.perf_counter()
    try:
        result = safe_request(
            "POST",
            inbox,
            headers={"Content-Type": ACTIVITY_TYPE},
            body=body,
            sign=sign,
        )
    except FetchRefused as refused:
        return Attempt(
            status=refused.status,
            error=refused.reason,
            transient=refused.transient,
            retry_after=None,
            seconds=time.perf_counter() - started,
        )
    seconds = time.perf_counter() - started
    if result.ok:
        return Attempt(result.status, "", False, None, seconds)
    return Attempt(
        status=result.status,
        error=f"the inbox answered {result.status}",
        transient=is_transient(result.status),
        retry_after=retry_after_seconds(result.headers.get("retry-after"), now=clock.now()),
        seconds=seconds,
    )
