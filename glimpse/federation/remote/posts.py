"""Notes of other servers stored here: a photo post becomes a Glimpse post by its remote
author, a reply a comment in the thread it answers, each once, with the ``RemoteObject``
row that remembers the id its server gave it.

Who may see it: Glimpse decides visibility per account, not per post, so only a Note the
author's every follower here may see is stored: one addressed to the public, or to the
followers of an account that approves its followers (a private account here). A
followers-only Note of a public account, or one addressed to people by name only (a direct
message), is refused: stored as a post, everyone who may see the account would see it.

Whether anyone here asked for it: a post is stored when a local account follows its author
(or, for a post reached through a reply or a repost, when the caller says so), or when it
mentions a local account. A reply is stored when its thread leads to a post stored here,
which may be fetched, up to ``GLIMPSE_FEDERATION_REPLY_DEPTH`` levels up.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError
from glimpse.federation.actors import local_host
from glimpse.federation.models import RemoteActor, RemoteObject
from glimpse.federation.objects import Target, target_of
from glimpse.federation.remote.media import attachments_store, media_forget
from glimpse.federation.remote.notes import NoteInvalid, ParsedNote, attributed_to, note_parse
from glimpse.federation.remote.resolve import ActorNotFound, actor_by_uri, fetch_document
from glimpse.federation.remote.text import caption_of, comment_text_of
from glimpse.federation.signatures import same_origin
from glimpse.federation.signatures.common import authority
from glimpse.graph.models import Follow
from glimpse.posts.models import Comment
from glimpse.posts.services import comment_create, post_create


class NoteRefused(Exception):
    """A Note left alone; the message says why."""


def note_store(*, note: ParsedNote, author: User, wanted: bool, depth: int = 0) -> Target:
    """Store a Note as a post or a comment here, once; return what it is here.

    ``wanted`` says that someone here asked for the author's posts (a follow, a repost by a
    followed account). Raises ``NoteRefused``; ``FetchRefused`` when a server did not answer.
    """
    known = target_of(note.uri)
    if known is not None:
        return known
    audience_check(note, author)
    locals_ = local_names(note)
    if note.in_reply_to:
        parent = _parent(note.in_reply_to, wanted=wanted or bool(locals_), depth=depth)
        return _comment_store(note, author, parent, locals_)
    if not (wanted or locals_ or local_follows(author)):
        raise NoteRefused("nobody here follows its author or is mentioned in it")
    return _post_store(note, author, locals_)


def note_fetch(uri: str) -> tuple[ParsedNote, User]:
    """Fetch a Note from its own server and find its author; raise ``NoteRefused``."""
    document, fetched_from = fetch_document(uri)
    return note_read(document, fetched_from=fetched_from)


def note_read(document: dict[str, Any], *, fetched_from: str) -> tuple[ParsedNote, User]:
    """Read a Note fetched from ``fetched_from`` and find its author; raise ``NoteRefused``."""
    found = document.get("id")
    if not isinstance(found, str) or not same_origin(found, fetched_from):
        raise NoteRefused(f"{fetched_from} did not come from its own server")
    author_uri = attributed_to(document)
    if author_uri is None or not same_origin(author_uri, found):
        raise NoteRefused(f"{found} names no author on its own server")
    try:
        return note_parse(document, author_uri=author_uri), actor_by_uri(author_uri)
    except (NoteInvalid, ActorNotFound) as error:
        raise NoteRefused(str(error)) from error


def audience_check(note: ParsedNote, author: User) -> None:
    """Refuse a Note that not every follower of its author here may see (module docstring)."""
    if note.is_public:
        return
    followers = RemoteActor.objects.filter(user=author).values_list("followers", flat=True)
    to_followers = any(uri and uri in note.audience for uri in followers)
    if to_followers and author.is_private:
        return
    if to_followers:
        raise NoteRefused("a followers-only post of a public account is not shown here")
    raise NoteRefused("a post addressed to people by name is a direct message, not a post")


def local_follows(author: User) -> bool:
    """Tell whether an account of this server follows the author."""
    followers = Follow.objects.filter(followee=author, follower__remote_actor__isnull=True)
    return followers.exists()


def local_names(note: ParsedNote) -> dict[str, str]:
    """Return the accounts of this server a Note mentions: username by actor id."""
    found: dict[str, str] = {}
    for mention in note.mentions:
        if authority(mention.href) != local_host() or mention.href in found:
            continue
        try:
            account = actor_by_uri(mention.href)
        except ActorNotFound:
            continue
        found[mention.href] = account.username
    return found


def _parent(uri: str, *, wanted: bool, depth: int) -> Target:
    """Return what a reply answers here, fetching and storing it when it is not yet."""
    known = target_of(uri)
    if known is not None:
        return known
    if depth >= settings.GLIMPSE_FEDERATION_REPLY_DEPTH:
        raise NoteRefused("the thread it answers is too deep to follow")
    if authority(uri) == local_host():
        raise NoteRefused("it answers nothing that exists here")
    note, author = note_fetch(uri)
    return note_store(note=note, author=author, wanted=wanted, depth=depth + 1)


def _post_store(note: ParsedNote, author: User, locals_: dict[str, str]) -> Target:
    """Fetch a Note's media and publish it as the author's post."""
    domain = RemoteActor.objects.values_list("domain", flat=True).get(user=author)
    media_ids = attachments_store(owner=author, domain=domain, attachments=note.attachments)
    if not media_ids:
        raise NoteRefused("it has no photo or video that could be kept")
    try:
        with transaction.atomic():
            post = post_create(
                author=author,
                media_ids=media_ids,
                caption=caption_of(note, local_names=locals_),
                place=note.place,
                created_at=note.published,
            )
            _remember(note, author, post_id=post.pk)
    except IntegrityError:
        # Stored meanwhile by another job: that post stands, these media go.
        media_forget(owner=author, media_ids=media_ids)
        return _known(note.uri)
    except GlimpseError as error:
        media_forget(owner=author, media_ids=media_ids)
        raise NoteRefused(f"the post was refused: {error.message}") from error
    return Target("post", post.pk)


def _comment_store(
    note: ParsedNote, author: User, parent: Target, locals_: dict[str, str]
) -> Target:
    """Write a reply as the author's comment on a post, or in a comment's thread."""
    if parent.kind == "post":
        post_id, parent_id = parent.id, None
    else:
        post_id = Comment.objects.values_list("post_id", flat=True).get(pk=parent.id)
        parent_id = parent.id
    try:
        with transaction.atomic():
            comment = comment_create(
                author=author,
                post_id=post_id,
                text=comment_text_of(note, local_names=locals_),
                parent_id=parent_id,
            )
            _remember(note, author, comment_id=comment.pk)
    except IntegrityError:
        return _known(note.uri)
    except GlimpseError as error:
        # The post is hidden from the author (a block, a private account it does not
        # follow), its comments are off, or the reply is empty: nothing is written.
        raise NoteRefused(f"the comment was refused: {error.message}") from error
    return Target("comment", comment.pk)


def _remember(
    note: ParsedNote, author: User, *, post_id: int | None = None, comment_id: int | None = None
) -> None:
    """Keep the id the Note's server gave it, and the time of this version."""
    now = timezone.now()
    RemoteObject.objects.create(
        uri=note.uri,
        author=author,
        post_id=post_id,
        comment_id=comment_id,
        url=note.url,
        updated_at=min(note.changed_at or now, now),
        received_at=now,
    )


def _known(uri: str) -> Target:
    """Return what another job stored under this id."""
    found = target_of(uri)
    if found is None:
        raise NoteRefused("it was stored and deleted meanwhile")
    return found
