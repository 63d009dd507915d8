"""Comments: written with mentions, one level of replies, deleted, one pinned per post."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services.moves import account_publish_check
from glimpse.core.errors import Conflict, NotFound, PermissionDenied
from glimpse.core.event_bus import publish
from glimpse.core.events import CommentCreated, CommentDeleted
from glimpse.posts.models import Comment, CommentMention, Post
from glimpse.posts.services.common import (
    MISSING_COMMENT,
    count_add,
    lock_rows,
    visible_comment,
    visible_post,
)
from glimpse.posts.services.links import ParsedText, mentionable, text_read
from glimpse.posts.services.specs import Problems


def comment_create(
    *, author: User, post_id: int, text: str, parent_id: int | None = None
) -> Comment:
    """Comment on a post the author may see, or reply in a comment's thread.

    A reply to a reply joins the same thread: threads are one level deep.
    """
    account_publish_check(user=author)
    problems = Problems()
    parsed = _comment_text(text, problems)
    problems.raise_if_any()
    with transaction.atomic():
        post = visible_post(author, post_id, lock=True)
        if not post.comments_enabled:
            raise PermissionDenied(
                "Comments are turned off for this post.", code="comments_disabled"
            )
        thread = _thread_of(author, post, parent_id) if parent_id is not None else None
        comment = Comment.objects.create(post=post, author=author, parent=thread, text=parsed.text)
        CommentMention.objects.bulk_create(
            CommentMention(comment=comment, account=account)
            for account in mentionable(author, parsed.mentions)
        )
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        if thread is not None:
            Comment.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1)
        publish(CommentCreated(comment_id=comment.pk, post_id=post.pk, author_id=author.pk))
    comment.viewer_can_delete = True
    return comment


def comment_update(*, actor: User, comment_id: int, text: str) -> Comment:
    """Change the text of one of the actor's comments, and its mentions with it."""
    problems = Problems()
    parsed = _comment_text(text, problems)
    problems.raise_if_any()
    with transaction.atomic():
        comment = visible_comment(actor, comment_id, lock=True)
        if comment.author_id != actor.pk:
            raise PermissionDenied("Only the comment's author can edit it.", code="not_author")
        if parsed.text != comment.text:
            comment.text = parsed.text
            comment.save(update_fields=["text"])
            CommentMention.objects.filter(comment=comment).delete()
            CommentMention.objects.bulk_create(
                CommentMention(comment=comment, account=account)
                for account in mentionable(actor, parsed.mentions)
            )
    comment.viewer_can_delete = True
    return comment


def comment_delete(*, actor: User, comment_id: int) -> None:
    """Delete a comment (and its replies): its author or the post's author may."""
    with transaction.atomic():
        comment = visible_comment(actor, comment_id)
        if actor.pk not in (comment.author_id, comment.post.author_id):
            raise PermissionDenied(
                "Only the comment's author or the post's author can delete it.",
                code="not_author",
            )
        _comment_destroy(comment, actor=actor)


def comment_remove_by_moderator(*, comment_id: int) -> bool:
    """Delete any comment (and its replies) for the moderators; return whether it was there.

    The author's delete finds the comment through the actor's view of it, which a suspended
    author, or a commenter blocked by the post's author, no longer has; this one does not.
    """
    with transaction.atomic():
        comment = Comment.objects.select_related("author").filter(pk=comment_id).first()
        if comment is None:
            return False
        return _comment_destroy(comment, actor=comment.author)


def comment_pin(*, actor: User, comment_id: int) -> Comment:
    """Pin a comment on the actor's own post above the others (one per post)."""
    with transaction.atomic():
        comment = _own_post_comment(actor, comment_id)
        if comment.parent_id is not None:
            raise Conflict("Only a comment, not a reply, can be pinned.", code="reply")
        if comment.pinned_at is None:
            Comment.objects.filter(post_id=comment.post_id, pinned_at__isnull=False).update(
                pinned_at=None
            )
            comment.pinned_at = timezone.now()
            comment.save(update_fields=["pinned_at"])
    return comment


def comment_unpin(*, actor: User, comment_id: int) -> Comment:
    """Unpin a comment of the actor's own post; twice is fine."""
    with transaction.atomic():
        comment = _own_post_comment(actor, comment_id)
        if comment.pinned_at is not None:
            comment.pinned_at = None
            comment.save(update_fields=["pinned_at"])
    return comment


def _comment_destroy(comment: Comment, *, actor: User) -> bool:
    """Delete a comment and its replies, out of the counts; False if it was gone meanwhile."""
    # Lock the post and then the thread so that no reply lands in a thread being deleted.
    lock_rows(Post.objects.filter(pk=comment.post_id))
    lock_rows(Comment.objects.filter(pk=comment.parent_id or comment.pk))
    removed = 1 + (Comment.objects.filter(parent=comment).count() if not comment.parent_id else 0)
    # Published before the rows go: subscribers may note what they held about them.
    publish(CommentDeleted(comment_id=comment.pk, post_id=comment.post_id, actor_id=actor.pk))
    deleted, _ = Comment.objects.filter(pk=comment.pk).delete()
    if not deleted:
        return False  # deleted meanwhile by someone else
    count_add(Post.objects.filter(pk=comment.post_id), "comment_count", -removed)
    if comment.parent_id:
        count_add(Comment.objects.filter(pk=comment.parent_id), "reply_count", -1)
    return True


def _comment_text(text: str, problems: Problems) -> ParsedText:
    """Read a comment's text, recording what breaks a limit or leaves it empty."""
    parsed = text_read(
        text,
        field="text",
        max_length=settings.GLIMPSE_COMMENT_MAX,
        problems=problems,
        hashtags=False,
    )
    if not parsed.text:
        problems.add("text", "Write something.")
    return parsed


def _thread_of(author: User, post: Post, parent_id: int) -> Comment:
    """Return the thread a reply joins, locked: the parent, or the parent's own thread."""
    parent = (
        Comment.objects.visible_to(author)
        .filter(pk=parent_id, post=post)
        .only("pk", "parent_id")
        .first()
    )
    if parent is None:
        raise NotFound(MISSING_COMMENT)
    thread = (
        Comment.objects.select_for_update(no_key=True).filter(pk=parent.parent_id or parent.pk)
    ).first()
    if thread is None:
        raise NotFound(MISSING_COMMENT)
    return thread


def _own_post_comment(actor: User, comment_id: int) -> Comment:
    """Return a comment on the actor's post, its post locked: one pin change at a time."""
    comment = visible_comment(actor, comment_id)
    if comment.post.author_id != actor.pk:
        raise PermissionDenied("Only the post's author can pin comments.", code="not_author")
    lock_rows(Post.objects.filter(pk=comment.post_id))
    comment.refresh_from_db(fields=["pinned_at"])
    return comment
