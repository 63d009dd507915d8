"""Removing reported content for the moderators, with the same bookkeeping as its author's
own delete: counts, feeds, notifications, files after commit, and the images' hashes kept.

The authors' delete services find the object through the author's own view of it, which a
suspended author or a commenter blocked by the post's author no longer has; these do not.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from glimpse.feeds import services as feeds
from glimpse.media.models import MediaItem
from glimpse.moderation.blocklist import stored_hash
from glimpse.notifications import services as notifications
from glimpse.notifications.activity import Activity
from glimpse.posts.models import Comment, Post
from glimpse.posts.services.common import count_add, lock_rows
from glimpse.posts.services.posts import count_live, media_files_delete
from glimpse.stories import services as stories
from glimpse.stories.models import Story


def post_remove(*, post: Post) -> list[int]:
    """Delete a post like its author would; return the hashes of its images."""
    locked = Post.objects.select_for_update(of=("self",)).filter(pk=post.pk).first()
    if locked is None:
        return []
    if not locked.is_archived:
        count_live(locked, -1, hashtags=True)
    media = MediaItem.objects.filter(post_item__post=locked)
    hashes = _hashes(media)
    keys = list(media.values_list("storage_key", flat=True))
    media.delete()
    post_id, author_id = locked.pk, locked.author_id
    locked.delete()
    transaction.on_commit(lambda: media_files_delete(keys))
    feeds.post_removed_on_commit(post_id, author_id)
    return hashes


def comment_remove(*, comment: Comment) -> None:
    """Delete a comment and its replies, and take them out of the counts."""
    lock_rows(Post.objects.filter(pk=comment.post_id))
    lock_rows(Comment.objects.filter(pk=comment.parent_id or comment.pk))
    removed = 1 + (Comment.objects.filter(parent=comment).count() if not comment.parent_id else 0)
    unnotify = Activity(kind="comment", actor_id=comment.author_id, comment_id=comment.pk)
    notifications.unnotify_on_commit(activity=unnotify)
    deleted, _ = Comment.objects.filter(pk=comment.pk).delete()
    if not deleted:
        return
    count_add(Post.objects.filter(pk=comment.post_id), "comment_count", -removed)
    if comment.parent_id:
        count_add(Comment.objects.filter(pk=comment.parent_id), "reply_count", -1)


def story_remove(*, story: Story) -> list[int]:
    """Delete a story through its author's own delete; return the hash of its image."""
    hashes = _hashes(MediaItem.objects.filter(pk=story.media_id))
    stories.story_delete(actor=story.author, story_id=story.pk)
    return hashes


def _hashes(media: QuerySet[MediaItem]) -> list[int]:
    found = []
    for name in media.values_list("original_name", flat=True):
        value = stored_hash(name) if name else None
        if value is not None:
            found.append(value)
    return found
