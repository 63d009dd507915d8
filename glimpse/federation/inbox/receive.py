"""Take an activity posted to an inbox: check its signature and its shape, keep it once by
its id, and queue its processing. Nothing here acts on it (``process.py`` does).

The checks, in order: the body's size, the signature (either form, the key looked up and
refreshed once), the JSON, and that the key's owner is the activity's ``actor`` and that the
activity's id is on the actor's server. Relayed activities signed by someone other than
their actor are refused: Glimpse does not check Linked Data signatures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from glimpse.core.jobs import enqueue_on_commit
from glimpse.federation.domain_policy import activity_from_suspended
from glimpse.federation.inbox import metrics
from glimpse.federation.inbox.tasks import federation_inbox_process
from glimpse.federation.incoming.registry import id_of, type_of
from glimpse.federation.models import InboxActivity
from glimpse.federation.remote.keys import public_key_for
from glimpse.federation.signatures import SignatureError, same_origin, verify_request


class InboxRefused(Exception):
    """The inbox refuses the request; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Received:
    """What the inbox kept: the row, and whether this request brought it first."""

    activity: InboxActivity
    new: bool


def activity_receive(
    *, method: str, url: str, headers: Mapping[str, str], body: bytes
) -> Received | None:
    """Check a request to an inbox and keep its activity once; raise ``InboxRefused``.

    None: the activity comes from a suspended server, and is dropped unchecked (a suspended
    server learns nothing, and stops retrying: docs/federation.md, "Moderation of other
    servers").
    """
    if activity_from_suspended(body):
        metrics.received("dropped")
        return None
    try:
        received = _checked_and_kept(method=method, url=url, headers=headers, body=body)
    except InboxRefused:
        metrics.received("refused")
        raise
    metrics.received("kept" if received.new else "duplicate")
    return received


def _checked_and_kept(
    *, method: str, url: str, headers: Mapping[str, str], body: bytes
) -> Received:
    """Check a request to an inbox and keep its activity once; raise ``InboxRefused``."""
    if len(body) > settings.GLIMPSE_FEDERATION_INBOX_MAX_BYTES:
        raise InboxRefused("The activity is too large.", status=413)
    try:
        verified = verify_request(
            method=method, url=url, headers=headers, body=body, key_lookup=public_key_for
        )
    except SignatureError as error:
        raise InboxRefused(f"Signature refused: {error}", status=401) from error
    activity = _parsed(body)
    actor = id_of(activity.get("actor"))
    if actor != verified.actor_id:
        raise InboxRefused("The signature is not the activity's actor's.", status=401)
    activity_id = id_of(activity)
    if activity_id is None or not same_origin(activity_id, actor):
        raise InboxRefused("The activity's id must be on its actor's server.", status=400)
    return _keep(activity, activity_id=activity_id, actor=actor)


def _parsed(body: bytes) -> dict[str, Any]:
    """Return the body as a JSON object with a type and an actor, or refuse it."""
    try:
        activity = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise InboxRefused("The body is not JSON.", status=400) from error
    if not isinstance(activity, dict) or not type_of(activity):
        raise InboxRefused("The body is not an activity (an object with a type).", status=400)
    if id_of(activity.get("actor")) is None:
        raise InboxRefused("The activity names no actor.", status=400)
    return activity


def _keep(activity: dict[str, Any], *, activity_id: str, actor: str) -> Received:
    """Store the activity unless it is known, and queue its processing after commit."""
    try:
        with transaction.atomic():
            row = InboxActivity.objects.create(
                activity_id=activity_id,
                actor_uri=actor,
                kind=type_of(activity)[:64],
                body=activity,
                received_at=timezone.now(),
            )
            enqueue_on_commit(federation_inbox_process, row.pk)
    except IntegrityError:
        return Received(InboxActivity.objects.get(activity_id=activity_id), new=False)
    return Received(row, new=True)
