"""Accounts of other servers kept as Glimpse accounts: an actor document, checked, becomes a
``User`` named ``name@host`` and the ``RemoteActor`` row beside it, or brings them up to date.

Storing the same document twice changes nothing but the time it was read. When a server
gives a name to a new actor (an account deleted there, its name taken again), the new
actor gets ``name@host`` and the account that held it keeps its rows under
``name@host~<n>``: only that server could have caused it, since both actors are its own.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services import (
    remote_account_create,
    remote_account_rename,
    remote_account_update,
)
from glimpse.core.jobs import enqueue_on_commit
from glimpse.federation.models import RemoteActor
from glimpse.federation.remote.avatars import remote_avatar_wanted
from glimpse.federation.remote.parse import ParsedActor, RemoteActorInvalid, actor_parse
from glimpse.federation.remote.tasks import federation_remote_avatar

__all__ = ["RemoteActorInvalid", "actor_store"]

# The fields of a RemoteActor that come from the document, all compared on each store.
_ACTOR_FIELDS = (
    "domain",
    "inbox",
    "shared_inbox",
    "outbox",
    "followers",
    "following",
    "url",
    "key_id",
    "public_key_pem",
    "actor_type",
    "icon_url",
)


def actor_store(document: dict[str, Any], *, fetched_from: str) -> User:
    """Check an actor document read from ``fetched_from`` and store it as an account (made
    or brought up to date); raise ``RemoteActorInvalid`` and store nothing if it fails."""
    parsed = actor_parse(document, fetched_from=fetched_from)
    try:
        return _store(parsed, document)
    except IntegrityError:
        # Another process stored the same actor at the same moment: update its rows.
        return _store(parsed, document)


def _store(parsed: ParsedActor, document: dict[str, Any]) -> User:
    """Create or update the account and its remote row, in one transaction."""
    with transaction.atomic():
        actor = (
            RemoteActor.objects.select_for_update()
            .select_related("user")
            .filter(uri=parsed.uri)
            .first()
        )
        _free_handle(parsed.handle, keeping=actor.user_id if actor else None)
        user = _create(parsed, document) if actor is None else _update(actor, parsed, document)
        if remote_avatar_wanted(user=user, icon_url=parsed.icon_url):
            # Fetched by a job, once this is committed: never while the caller waits.
            enqueue_on_commit(federation_remote_avatar, user.pk)
        return user


def _update(actor: RemoteActor, parsed: ParsedActor, document: dict[str, Any]) -> User:
    """Bring a known actor's account and remote row up to date."""
    user = actor.user
    if user.username != parsed.handle:  # renamed on its server
        remote_account_rename(user=user, username=parsed.handle)
    remote_account_update(
        user=user,
        display_name=parsed.display_name,
        bio=parsed.bio,
        is_private=parsed.is_private,
        remote_url=parsed.url or parsed.uri,
    )
    changed = [f for f in _ACTOR_FIELDS if getattr(actor, f) != getattr(parsed, f)]
    for field in changed:
        setattr(actor, field, getattr(parsed, field))
    actor.fetched_at = timezone.now()
    actor.raw = document
    actor.save(update_fields=[*changed, "fetched_at", "raw"])
    return user


def _create(parsed: ParsedActor, document: dict[str, Any]) -> User:
    """Create the account of a new actor and its remote row."""
    user = remote_account_create(
        username=parsed.handle,
        display_name=parsed.display_name,
        bio=parsed.bio,
        is_private=parsed.is_private,
        remote_url=parsed.url or parsed.uri,
    )
    RemoteActor.objects.create(
        user=user,
        uri=parsed.uri,
        fetched_at=timezone.now(),
        raw=document,
        **{field: getattr(parsed, field) for field in _ACTOR_FIELDS},
    )
    return user


def _free_handle(handle: str, *, keeping: int | None) -> None:
    """Move another remote account off ``handle`` (to ``handle~<n>``); refuse a local one."""
    holders = User.objects.select_for_update().filter(username__lower=handle)
    if keeping is not None:
        holders = holders.exclude(pk=keeping)
    holder = holders.first()
    if holder is None:
        return
    if not RemoteActor.objects.filter(user_id=holder.pk).exists():
        raise RemoteActorInvalid(f"{handle} names an account of this server")
    taken = set(
        User.objects.filter(username__lower__startswith=f"{handle}~").values_list(
            "username", flat=True
        )
    )
    number = 1
    while f"{handle}~{number}" in taken:
        number += 1
    remote_account_rename(user=holder, username=f"{handle}~{number}")
