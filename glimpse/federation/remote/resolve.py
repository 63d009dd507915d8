"""Finding an account of another server: by its actor's address, or by ``@name@host``
through WebFinger, from the store while it is fresh, else fetched (signed by the instance's
actor, as servers in authorized-fetch mode require) and stored.

An account of this server is found here too, by either form, without any request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.federation.actors import instance_actor_id, local_host
from glimpse.federation.discovery import MalformedResource, resource_subject
from glimpse.federation.fetch import (
    ACTIVITY_ACCEPT,
    DOCUMENT_TYPES,
    FetchRefused,
    FetchResult,
    raise_for_status,
    safe_request,
)
from glimpse.federation.keys import actor_key
from glimpse.federation.models import RemoteActor
from glimpse.federation.remote.actors import actor_store
from glimpse.federation.remote.parse import MAX_NAME, loopback_http_allowed
from glimpse.federation.signatures import sign_request
from glimpse.federation.signatures.common import authority
from glimpse.federation.switch import federation_enabled

WEBFINGER_TYPES = ("application/jrd+json", "application/json")
# The link types that name an actor's document in a WebFinger answer.
_ACTIVITY_TYPES = ("application/activity+json", "application/ld+json")


class ActorNotFound(Exception):
    """No account answers to this address or handle (or the handle's server named none)."""


def actor_by_uri(uri: str, *, refresh: bool = False) -> User:
    """Return the account of the actor at ``uri``: the stored one while fresh (unless
    ``refresh``), else fetched and stored.

    Raises ``FetchRefused`` when the fetch fails, ``RemoteActorInvalid`` when the document
    is refused, ``ActorNotFound`` for an address of this server that is no account.
    """
    if _is_local(uri):
        return _local_by_uri(uri)
    if not refresh:
        oldest = timezone.now() - timedelta(seconds=settings.GLIMPSE_FEDERATION_ACTOR_TTL)
        known = RemoteActor.objects.select_related("user").filter(uri=uri).first()
        if known is not None and known.fetched_at >= oldest:
            return known.user
    _require_federation()
    document, fetched_from = fetch_document(uri)
    return actor_store(document, fetched_from=fetched_from)


def actor_by_handle(handle: str, *, refresh: bool = False) -> User:
    """Return the account ``name@host`` (or ``@name@host``) names, through WebFinger for
    another server's; raise ``ActorNotFound`` (or what ``actor_by_uri`` raises)."""
    name, host = _split_handle(handle)
    if host == local_host():
        return _local_by_name(name)
    wanted = f"{name}@{host}"
    if not refresh:
        known = RemoteActor.objects.select_related("user").filter(user__username=wanted).first()
        if known is not None:
            return actor_by_uri(known.uri)
    _require_federation()
    uri = _webfinger_self(name, host)
    # A server names only its own actors: a link elsewhere could pass one off as another.
    if authority(uri) != host:
        raise ActorNotFound(f"the WebFinger answer for {wanted} points to another host")
    user = actor_by_uri(uri, refresh=refresh)
    if user.username != wanted:
        raise ActorNotFound(f"the actor WebFinger names for {wanted} is {user.username}")
    return user


def fetch_document(url: str) -> tuple[dict[str, Any], str]:
    """Fetch an ActivityPub document, signed by the instance's actor; return it and the
    address it finally came from (after any redirects)."""
    result = safe_request(
        "GET", url, accept=ACTIVITY_ACCEPT, allowed_types=DOCUMENT_TYPES, sign=instance_signer
    )
    return json_document(result), result.url


def instance_signer(
    method: str, url: str, headers: Mapping[str, str], body: bytes | None
) -> Mapping[str, str]:
    """Return the headers that sign a request as the instance's actor (draft-cavage)."""
    return sign_request(
        method=method,
        url=url,
        headers=headers,
        body=body,
        key_id=instance_actor_id() + "#main-key",
        private_key_pem=actor_key(None).private_pem,
    )


def json_document(result: FetchResult) -> dict[str, Any]:
    """Return an answer's body as a JSON object; raise ``FetchRefused`` for anything else
    (with the answer's status, so that a success that is no document tells itself apart
    from a server that failed)."""
    raise_for_status(result)
    try:
        document = json.loads(result.body)
    except ValueError as error:
        raise FetchRefused(
            "the answer is not JSON", url=result.url, status=result.status
        ) from error
    if not isinstance(document, dict):
        raise FetchRefused("the answer is not a JSON object", url=result.url, status=result.status)
    return document


def _webfinger_self(name: str, host: str) -> str:
    """Ask the handle's server which actor it is; return the ``self`` link's address."""
    scheme = "http" if _loopback(host) else "https"
    resource = quote(f"acct:{name}@{host}", safe=":@")
    result = safe_request(
        "GET",
        f"{scheme}://{host}/.well-known/webfinger?resource={resource}",
        accept=", ".join(WEBFINGER_TYPES),
        allowed_types=WEBFINGER_TYPES,
    )
    links = json_document(result).get("links")
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, dict) or link.get("rel") != "self":
            continue
        kind, href = link.get("type"), link.get("href")
        if isinstance(kind, str) and kind.startswith(_ACTIVITY_TYPES) and isinstance(href, str):
            return href
    raise ActorNotFound(f"the server of {name}@{host} names no ActivityPub actor for it")


def _split_handle(handle: str) -> tuple[str, str]:
    """Return the lowercased name and host of ``name@host`` or ``@name@host``."""
    name, at, host = handle.strip().removeprefix("@").lower().partition("@")
    if not at or not name or not host or len(name) > MAX_NAME or "@" in host:
        raise ActorNotFound(f"{handle!r} is not a handle of the form name@host")
    if any(c in host for c in "/?#\\ ") or any(c in name for c in "/?#\\ ~"):
        raise ActorNotFound(f"{handle!r} is not a handle of the form name@host")
    return name, host


def local_account_by_uri(uri: str) -> User | None:
    """Return the local account an address names; None for any other (never fetches)."""
    if not _is_local(uri):
        return None
    try:
        return _local_by_uri(uri)
    except ActorNotFound:
        return None


def _is_local(uri: str) -> bool:
    """Tell whether an address is on this server."""
    return authority(uri) == local_host()


def _local_by_uri(uri: str) -> User:
    """Return the local account an address of this server names."""
    try:
        subject = resource_subject(uri)
    except MalformedResource as error:
        raise ActorNotFound(f"{uri} names no account") from error
    if subject is None or subject.username is None:
        raise ActorNotFound(f"{uri} names no account")
    return _local_by_name(subject.username)


def _local_by_name(name: str) -> User:
    """Return the local account of this username (remote ones never match: no "@")."""
    user = User.objects.filter(username__lower=name.lower(), remote_actor__isnull=True).first()
    if user is None or "@" in user.username:
        raise ActorNotFound(f"no account here is named {name}")
    return user


def _loopback(host: str) -> bool:
    """Tell whether a handle's host is one the test-only allowance lets us reach by http."""
    parts = urlsplit(f"//{host}")
    try:
        port = parts.port
    except ValueError:
        return False
    return bool(parts.hostname) and loopback_http_allowed(parts.hostname or "", port or 80)


def _require_federation() -> None:
    """Refuse to ask another server anything while federation is off."""
    if not federation_enabled():
        raise FetchRefused("federation is off")
