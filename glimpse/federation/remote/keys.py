"""The keys of other servers' actors, for checking their signatures: the lookup that
``verify_request`` takes as ``key_lookup``.

A key is found by its id among stored actors (or by the actor whose address is the key id
without its fragment, as Mastodon names keys ``<actor>#main-key``), else fetched: the key's
address gives the actor itself, or a document naming its owner (GoToSocial serves keys at
``<actor>/main-key``), whose actor is then fetched. Asked to refresh, the owner is fetched
again, at most once a minute, so that bad signatures cannot make this server fetch without end.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from glimpse.federation.actors import local_host
from glimpse.federation.fetch import FetchRefused
from glimpse.federation.models import RemoteActor
from glimpse.federation.remote.actors import actor_store
from glimpse.federation.remote.parse import ACTOR_TYPES, RemoteActorInvalid
from glimpse.federation.remote.resolve import ActorNotFound, actor_by_uri, fetch_document
from glimpse.federation.signatures import PublicKeyInfo, same_origin
from glimpse.federation.signatures.common import authority
from glimpse.federation.switch import federation_enabled

# The shortest time between two fetches of one actor that a refresh may ask for.
REFRESH_INTERVAL = timedelta(minutes=1)


def public_key_for(key_id: str, refresh: bool) -> PublicKeyInfo | None:
    """Return the key ``key_id`` names and its owner, fetched when unknown or when
    ``refresh`` asks; None when it cannot be found."""
    if not federation_enabled() or authority(key_id) == local_host():
        return None
    known = _stored(key_id)
    if known is not None and not refresh:
        return _info(known)
    try:
        _fetch(key_id, known)
    except (FetchRefused, RemoteActorInvalid, ActorNotFound):
        return None
    found = _stored(key_id)
    return _info(found) if found is not None else None


def _fetch(key_id: str, known: RemoteActor | None) -> None:
    """Fetch (and store) the actor that owns ``key_id``."""
    if known is not None:
        if known.fetched_at > timezone.now() - REFRESH_INTERVAL:
            return  # fetched a moment ago: its key is what the server has now
        actor_by_uri(known.uri, refresh=True)
        return
    address = key_id.split("#", 1)[0]
    document, fetched_from = fetch_document(address)
    if document.get("id") == address and document.get("type") in ACTOR_TYPES:
        actor_store(document, fetched_from=fetched_from)
        return
    owner = _owner(document)
    if owner is None or not same_origin(owner, key_id):
        raise ActorNotFound(f"no actor on the key's host owns {key_id}")
    actor_by_uri(owner, refresh=True)


def _stored(key_id: str) -> RemoteActor | None:
    """Return the stored actor with this key id, or whose address it is with a fragment."""
    found = RemoteActor.objects.filter(key_id=key_id).first()
    if found is None and "#" in key_id:
        found = RemoteActor.objects.filter(uri=key_id.split("#", 1)[0]).first()
    return found


def _owner(document: dict[str, Any]) -> str | None:
    """Return the owner a key's document names (a Key, or an actor stub holding the key)."""
    owner = document.get("owner")
    if owner is None and isinstance(key := document.get("publicKey"), dict):
        owner = key.get("owner")
    return owner if isinstance(owner, str) else None


def _info(actor: RemoteActor) -> PublicKeyInfo:
    """Return a stored actor's key as the signature checks take it."""
    return PublicKeyInfo(public_key_pem=actor.public_key_pem, actor_id=actor.uri)
