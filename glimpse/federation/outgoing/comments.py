"""Comments of local accounts sent to other servers: a Create of the comment's Note, and
its Delete.

The Note is the comment as the public sees it, or, under a private account's post, as its
writer sees it; either way it names only the accounts that may see the post.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.federation.actors import actor_id
from glimpse.federation.comment_notes import comment_note, comment_thread
from glimpse.federation.delivery.services import deliver_activity
from glimpse.federation.notes import JsonObject, create_id
from glimpse.federation.objects import local_comment_uri
from glimpse.federation.outgoing.activities import create_activity, delete_activity
from glimpse.federation.outgoing.audience import comment_audience, inboxes
from glimpse.federation.outgoing.common import local_account
from glimpse.posts.models import Comment
from glimpse.posts.presenters import comment_view_of
from glimpse.posts.selectors.comments import comment_get


@dataclass(frozen=True)
class CommentSent:
    """Whom a comment was sent to, noted before its rows go."""

    author_id: int
    recipient_ids: tuple[int, ...]
    to: tuple[str, ...]


def comment_create_send(*, comment_id: int, author_id: int) -> int:
    """Send the Create of a new comment to the accounts of other servers that may see it."""
    author = local_account(author_id)
    if author is None:
        return 0
    sent = _comment_presented(author, comment_id)
    if sent is None:
        return 0
    note, recipients = sent
    activity = create_activity(note, activity_id=create_id(note["id"]))
    return deliver_activity(activity=activity, actor=author, inboxes=inboxes(recipients))


def comment_sent_to(*, comment_id: int) -> CommentSent | None:
    """Return whom a comment of a local account was sent to, or None (nothing to send)."""
    comment = Comment.objects.select_related("author").filter(pk=comment_id).first()
    if comment is None or local_account(comment.author_id) is None:
        return None
    sent = _comment_presented(comment.author, comment_id)
    if sent is None:
        return None
    note, recipients = sent
    return CommentSent(comment.author_id, tuple(recipients), tuple(note["to"]))


def comment_delete_send(
    *, comment_id: int, author_id: int, recipient_ids: Iterable[int], to: Iterable[str]
) -> int:
    """Send the Delete of a comment, signed by its writer, to those it was sent to."""
    author = local_account(author_id)
    if author is None:
        return 0
    activity = delete_activity(
        object_id=local_comment_uri(comment_id), actor=actor_id(author.username), to=list(to)
    )
    return deliver_activity(activity=activity, actor=author, inboxes=inboxes(recipient_ids))


def _comment_presented(author: User, comment_id: int) -> tuple[JsonObject, list[int]] | None:
    """Return a comment's Note and the accounts of other servers it goes to, or None."""
    try:
        comment = comment_get(viewer=None, comment_id=comment_id)
    except NotFound:
        # Under a private account's post: the public may not see it, its writer may.
        try:
            comment = comment_get(viewer=author, comment_id=comment_id)
        except NotFound:
            return None
    if comment.author_id != author.pk:
        return None
    post = comment.post
    view = comment_view_of(comment)
    thread = comment_thread(view, post=post)
    recipients = comment_audience(
        writer=author,
        post_author=post.author,
        named=thread.named_ids,
        post_is_local=not post.author.is_remote,
    )
    return comment_note(view, thread), recipients
