"""Likes of posts and of comments: idempotent, and counted exactly under concurrency.

A counter moves in the same transaction as its row, with an F() expression, and only when
a row was really inserted or deleted: two likes at once both count, a second like by the
same account counts nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from glimpse.accounts.models import User
from glimpse.core.event_bus import publish
from glimpse.core.events import CommentLiked, CommentUnliked, PostLiked, PostUnliked
from glimpse.posts.models import Comment, CommentLike, Like, Post
from glimpse.posts.services.common import count_add, insert_once, visible_comment, visible_post


def like_create(*, user: User, post_id: int) -> Post:
    """Like a post the user may see; liking it again changes nothing."""
    with transaction.atomic():
        post = visible_post(user, post_id, lock=True)
        if insert_once(Like(post=post, user=user)):
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
            publish(PostLiked(post_id=post.pk, user_id=user.pk))
    return _with_state(post, user, liked=True)


def like_delete(*, user: User, post_id: int) -> Post:
    """Take back a like of a post the user may see; nothing to take back is fine."""
    with transaction.atomic():
        post = visible_post(user, post_id, lock=True)
        deleted, _ = Like.objects.filter(post=post, user=user).delete()
        if deleted:
            count_add(Post.objects.filter(pk=post.pk), "like_count", -1)
            publish(PostUnliked(post_id=post.pk, user_id=user.pk))
    return _with_state(post, user, liked=False)


def comment_like_create(*, user: User, comment_id: int) -> Comment:
    """Like a comment the user may see; liking it again changes nothing."""
    with transaction.atomic():
        comment = visible_comment(user, comment_id, lock=True)
        if insert_once(CommentLike(comment=comment, user=user)):
            Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
            publish(CommentLiked(comment_id=comment.pk, user_id=user.pk))
    comment.refresh_from_db(fields=["like_count"])
    comment.viewer_liked = True
    return comment


def comment_like_delete(*, user: User, comment_id: int) -> Comment:
    """Take back a like of a comment the user may see; nothing to take back is fine."""
    with transaction.atomic():
        comment = visible_comment(user, comment_id, lock=True)
        deleted, _ = CommentLike.objects.filter(comment=comment, user=user).delete()
        if deleted:
            count_add(Comment.objects.filter(pk=comment.pk), "like_count", -1)
            publish(CommentUnliked(comment_id=comment.pk, user_id=user.pk))
    comment.refresh_from_db(fields=["like_count"])
    comment.viewer_liked = False
    return comment


def _with_state(post: Post, user: User, *, liked: bool) -> Post:
    post.refresh_from_db(fields=["like_count"])
    post.viewer_liked = liked
    post.viewer_is_author = post.is_by(user)
    return post
