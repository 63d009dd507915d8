"""Federation's reactions to the events of lower apps: each queues the job that sends the
activity telling other servers (``tasks.federation_send``), once the change is committed.

Nothing is queued while federation is off. Deletions are published before their rows go:
their subscribers note then whom the deleted post or comment was sent to (a snapshot),
and the Delete of an erased account is built and its key copied at that moment.
"""

from __future__ import annotations

from typing import Any

from glimpse.core import event_bus, events
from glimpse.core.jobs import enqueue
from glimpse.federation.outgoing import accounts, comments, posts
from glimpse.federation.outgoing.tasks import federation_send
from glimpse.federation.switch import federation_enabled


def subscribe_all() -> None:
    """Subscribe outgoing's handlers to the events they send activities for."""
    subscribe = event_bus.subscribe
    subscribe(events.PostPublished, post_published)
    subscribe(events.PostEdited, post_edited)
    subscribe(events.PostArchived, post_archived)
    subscribe(events.PostUnarchived, post_unarchived)
    event_bus.subscribe_with_snapshot(
        events.PostDeleted, snapshot=post_deleted_snapshot, handler=post_deleted
    )
    subscribe(events.CommentCreated, comment_created)
    event_bus.subscribe_with_snapshot(
        events.CommentDeleted, snapshot=comment_deleted_snapshot, handler=comment_deleted
    )
    subscribe(events.PostLiked, post_liked)
    subscribe(events.PostUnliked, post_unliked)
    subscribe(events.CommentLiked, comment_liked)
    subscribe(events.CommentUnliked, comment_unliked)
    subscribe(events.RepostCreated, repost_created)
    subscribe(events.RepostDeleted, repost_deleted)
    subscribe(events.BlockChanged, block_changed)
    subscribe(events.AccountUpdated, account_updated)
    event_bus.subscribe_with_snapshot(
        events.AccountErased, snapshot=account_erased_snapshot, handler=account_erased
    )


def post_published(event: events.PostPublished) -> None:
    """Queue the Create of a new post (not of one imported from an archive: old news)."""
    if event.imported:
        return
    _send("post_create", post_id=event.post_id, author_id=event.author_id)


def post_edited(event: events.PostEdited) -> None:
    """Queue the Update of an edited post."""
    _send("post_update", post_id=event.post_id, author_id=event.author_id)


def post_archived(event: events.PostArchived) -> None:
    """Queue the Delete of an archived post (hidden from everyone but its author)."""
    _send("post_archive", post_id=event.post_id, author_id=event.author_id)


def post_unarchived(event: events.PostUnarchived) -> None:
    """Queue the Create of a post shown again."""
    _send("post_create", post_id=event.post_id, author_id=event.author_id, again=True)


def post_deleted_snapshot(event: events.PostDeleted) -> tuple[int, ...] | None:
    """Return the mentioned accounts of other servers a post was sent to, before it goes."""
    return posts.post_sent_to(post_id=event.post_id, author_id=event.author_id)


def post_deleted(event: events.PostDeleted, mentioned: tuple[int, ...] | None) -> None:
    """Queue the Delete of a deleted post (by its author or a moderator)."""
    if mentioned is not None:
        _send(
            "post_delete",
            post_id=event.post_id,
            author_id=event.author_id,
            mentioned=list(mentioned),
        )


def comment_created(event: events.CommentCreated) -> None:
    """Queue the Create of a new comment."""
    _send("comment_create", comment_id=event.comment_id, author_id=event.author_id)


def comment_deleted_snapshot(event: events.CommentDeleted) -> comments.CommentSent | None:
    """Return whom a comment was sent to, before it goes."""
    return comments.comment_sent_to(comment_id=event.comment_id)


def comment_deleted(event: events.CommentDeleted, sent: comments.CommentSent | None) -> None:
    """Queue the Delete of a deleted comment, signed by its writer."""
    if sent is not None:
        _send(
            "comment_delete",
            comment_id=event.comment_id,
            author_id=sent.author_id,
            recipient_ids=list(sent.recipient_ids),
            to=list(sent.to),
        )


def post_liked(event: events.PostLiked) -> None:
    """Queue the Like of another server's post."""
    _send("like", post_id=event.post_id, user_id=event.user_id)


def post_unliked(event: events.PostUnliked) -> None:
    """Queue the Undo of a Like of another server's post."""
    _send("like", post_id=event.post_id, user_id=event.user_id, undo=True)


def comment_liked(event: events.CommentLiked) -> None:
    """Queue the Like of another server's comment."""
    _send("comment_like", comment_id=event.comment_id, user_id=event.user_id)


def comment_unliked(event: events.CommentUnliked) -> None:
    """Queue the Undo of a Like of another server's comment."""
    _send("comment_like", comment_id=event.comment_id, user_id=event.user_id, undo=True)


def repost_created(event: events.RepostCreated) -> None:
    """Queue the Announce of a repost."""
    _send("repost", repost_id=event.repost_id, post_id=event.post_id, user_id=event.user_id)


def repost_deleted(event: events.RepostDeleted) -> None:
    """Queue the Undo of a repost's Announce."""
    _send(
        "repost",
        repost_id=event.repost_id,
        post_id=event.post_id,
        user_id=event.user_id,
        undo=True,
    )


def block_changed(event: events.BlockChanged) -> None:
    """Queue the Block of another server's account, or its Undo."""
    _send(
        "block",
        blocker_id=event.blocker_id,
        blocked_id=event.blocked_id,
        undo=not event.blocking,
    )


def account_updated(event: events.AccountUpdated) -> None:
    """Queue the Update of a changed profile."""
    _send("account_update", account_id=event.account_id)


def account_erased_snapshot(event: events.AccountErased) -> accounts.Farewell | None:
    """Build the Delete of an account and copy its key, before its rows go."""
    return accounts.account_farewell(account_id=event.account_id)


def account_erased(event: events.AccountErased, farewell: accounts.Farewell | None) -> None:
    """Record the Delete of an erased account (its deliveries are jobs of their own)."""
    if farewell is not None:
        accounts.account_farewell_send(farewell)


def _send(sender: str, **fields: Any) -> None:
    """Queue the job of one sender, while federation is on."""
    if federation_enabled():
        enqueue(federation_send, sender, fields)
