"""Likes and reposts from other servers, and their ``Undo``, through the posts' services as
the remote account: the services apply the visibility policy, so an account that may not
see a post (blocked, not following a private account) gets nothing written.

Misskey's reactions (a ``Like`` with ``content``, or ``EmojiReact``) are likes: Glimpse has
one reaction, and a reaction is the sender saying it likes the post.
"""

from __future__ import annotations

from collections.abc import Callable

from glimpse.core.errors import GlimpseError
from glimpse.federation.incoming.registry import Ignored, Incoming, handles, id_of
from glimpse.federation.incoming.undo import undone_activity
from glimpse.federation.objects import Target, target_of
from glimpse.federation.remote.posts import NoteRefused, local_follows, note_fetch, note_store
from glimpse.posts.services import (
    comment_like_create,
    comment_like_delete,
    like_create,
    like_delete,
    repost_create,
    repost_delete,
)


@handles("Like", "EmojiReact")
def like(incoming: Incoming) -> None:
    """Like a post or comment here as the remote account."""
    target = _target(incoming.object_id)
    _refused_as_ignored(
        lambda: (
            like_create(user=incoming.actor, post_id=target.id)
            if target.kind == "post"
            else comment_like_create(user=incoming.actor, comment_id=target.id)
        )
    )


@handles("Undo/Like", "Undo/EmojiReact")
def unlike(incoming: Incoming) -> None:
    """Take back the remote account's like."""
    target = _target(id_of(undone_activity(incoming).get("object")))
    _refused_as_ignored(
        lambda: (
            like_delete(user=incoming.actor, post_id=target.id)
            if target.kind == "post"
            else comment_like_delete(user=incoming.actor, comment_id=target.id)
        )
    )


@handles("Announce")
def announce(incoming: Incoming) -> None:
    """Repost a post as the remote account, storing a remote post first when it is new."""
    uri = incoming.object_id
    if uri is None:
        raise Ignored("the Announce names no object")
    target = target_of(uri) or _fetched(uri, wanted=local_follows(incoming.actor))
    if target.kind != "post":
        raise Ignored("only posts are reposted here, not comments")
    _refused_as_ignored(lambda: repost_create(user=incoming.actor, post_id=target.id))


@handles("Undo/Announce")
def unannounce(incoming: Incoming) -> None:
    """Take back the remote account's repost."""
    target = _target(id_of(undone_activity(incoming).get("object")))
    if target.kind != "post":
        raise Ignored("only posts are reposted here, not comments")
    _refused_as_ignored(lambda: repost_delete(user=incoming.actor, post_id=target.id))


def _target(uri: str | None) -> Target:
    """Return the post or comment here an id names; ``Ignored`` for anything else."""
    target = target_of(uri) if uri else None
    if target is None:
        raise Ignored("it names no post or comment here")
    return target


def _fetched(uri: str, *, wanted: bool) -> Target:
    """Fetch an announced object from its own server and store it as a post."""
    if not wanted:
        raise Ignored("nobody here follows the account that reposted it")
    try:
        note, author = note_fetch(uri)
        if note.in_reply_to:
            raise Ignored("only posts are reposted here, not replies")
        return note_store(note=note, author=author, wanted=True)
    except NoteRefused as error:
        raise Ignored(str(error)) from error


def _refused_as_ignored(write: Callable[[], object]) -> None:
    """Run a service call; a refusal (not visible, not allowed) leaves the activity alone."""
    try:
        write()
    except GlimpseError as error:
        raise Ignored(f"refused: {error.message}") from error
