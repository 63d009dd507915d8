"""Finding an account or a post of another server for a person's search: a handle asked of
its server through WebFinger, or an address (an actor's, a profile's, a Note's or a post's
page) fetched, within ``GLIMPSE_FEDERATION_LOOKUP_SECONDS`` in all, every failure told in
words the person can act on. Search calls it through the finder registered when the app
starts.

A Note found becomes a post here by the rules of incoming posts, the person's search being
what asked for it: only a photo or video post that everyone who may see its author here may
see, or a followers-only one of an account the person follows (and that approves its
followers). A reply is stored as a comment, and its post is what was found.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q

from glimpse.accounts.models import User
from glimpse.federation.actors import local_host
from glimpse.federation.fetch import FetchRefused, fetch_deadline
from glimpse.federation.incoming.registry import type_of
from glimpse.federation.models import RemoteActor, RemoteObject
from glimpse.federation.objects import Target, local_target
from glimpse.federation.remote.actors import actor_store
from glimpse.federation.remote.addresses import document_at
from glimpse.federation.remote.parse import ACTOR_TYPES, RemoteActorInvalid
from glimpse.federation.remote.posts import NoteRefused, note_read, note_store
from glimpse.federation.remote.resolve import ActorNotFound, actor_by_handle, actor_by_uri
from glimpse.federation.signatures.common import authority
from glimpse.federation.switch import federation_enabled
from glimpse.graph.visibility import relation
from glimpse.posts.models import Comment
from glimpse.search.remote import (
    NOT_A_POST_NOTICE,
    Kind,
    RemoteHit,
    RemoteLookupFailed,
    missing_notice,
)

# Answers that say the other server has no such account (rather than that it failed).
_MISSING_STATUSES = frozenset({404, 410})


def remote_lookup(target: str, *, viewer: User, kinds: frozenset[Kind]) -> RemoteHit | None:
    """Return the account or post (of ``kinds``) a handle (``name@host``) or an http(s)
    address names, asking its server when it is not known; None while federation is off
    (nothing is asked).

    Raises ``RemoteLookupFailed`` saying what went wrong.
    """
    if not federation_enabled():
        return None
    is_address = "://" in target
    host = (urlsplit(target).netloc if is_address else target.partition("@")[2]).lower()
    try:
        with fetch_deadline(settings.GLIMPSE_FEDERATION_LOOKUP_SECONDS):
            if not is_address:
                return RemoteHit(account=actor_by_handle(target))
            return _by_address(target, viewer=viewer, kinds=kinds)
    except ActorNotFound as error:
        raise RemoteLookupFailed(missing_notice(target, kinds=kinds)) from error
    except NoteRefused as error:
        raise RemoteLookupFailed(NOT_A_POST_NOTICE) from error
    except RemoteActorInvalid as error:
        if is_address:  # a post's page, or anything else that is no account
            raise RemoteLookupFailed(missing_notice(target, kinds=kinds)) from error
        raise RemoteLookupFailed(f"{host} answered with an account Glimpse cannot read.") from error
    except FetchRefused as error:
        # Missing, or an answer that is no document (a page, a picture): nothing is there.
        if error.status in _MISSING_STATUSES or _succeeded(error.status):
            raise RemoteLookupFailed(missing_notice(target, kinds=kinds)) from error
        raise RemoteLookupFailed(
            f"Couldn't reach {host}. Check the address, or try again later."
        ) from error


def _by_address(address: str, *, viewer: User, kinds: frozenset[Kind]) -> RemoteHit:
    """Return the account or post an address names: known here, else fetched."""
    if "account" in kinds:
        # A profile page (https://host/@name) is not the actor's id: once its actor is
        # stored, the page finds it without another request while it is fresh.
        known = RemoteActor.objects.filter(Q(uri=address) | Q(url=address))
        uri = known.values_list("uri", flat=True).first()
        if uri is not None:
            return RemoteHit(account=actor_by_uri(uri))
    if "post" in kinds:
        post_id = _known_post(address)
        if post_id is not None:
            return RemoteHit(post_id=post_id)
    if authority(address) == local_host():
        if "account" not in kinds:
            raise NoteRefused(f"{address} names no post here")
        return RemoteHit(account=actor_by_uri(address))  # without any request
    document, fetched_from = document_at(address)
    if type_of(document) in ACTOR_TYPES and "account" in kinds:
        return RemoteHit(account=actor_store(document, fetched_from=fetched_from))
    if "post" not in kinds:
        raise ActorNotFound(f"{address} is no account")
    return RemoteHit(post_id=_post_store(document, fetched_from=fetched_from, viewer=viewer))


def _known_post(address: str) -> int | None:
    """Return the post an address names here (a post's, or a comment's post), by its id or
    its page on its server, without any request."""
    target = local_target(address)
    if target is None:
        row = (
            RemoteObject.objects.filter(Q(uri=address) | Q(url=address))
            .values_list("post_id", "comment_id")
            .first()
        )
        if row is None:
            return None
        target = Target("post", row[0]) if row[0] else Target("comment", row[1])
    return _post_of(target)


def _post_store(document: dict[str, Any], *, fetched_from: str, viewer: User) -> int:
    """Store the Note a person searched for; return the post it is, or is a comment on."""
    note, author = note_read(document, fetched_from=fetched_from)
    # Not addressed to everyone: shown only to the author's followers, of whom the person
    # who asked must be one (note_store then refuses it unless the author approves them).
    if not note.is_public and not relation(viewer, author)["following"]:
        raise NoteRefused("a post for its author's followers, and the searcher is not one")
    post_id = _post_of(note_store(note=note, author=author, wanted=True))
    if post_id is None:
        raise NoteRefused("it was stored and deleted meanwhile")
    return post_id


def _post_of(target: Target) -> int | None:
    """Return the post a target is, or the post its comment is on (None when gone)."""
    if target.kind == "post":
        return target.id
    return Comment.objects.filter(pk=target.id).values_list("post_id", flat=True).first()


def _succeeded(status: int | None) -> bool:
    """Tell whether a refused answer was a success (2xx) that was no document."""
    return status is not None and 200 <= status < 300
