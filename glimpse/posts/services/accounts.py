"""What an account leaves in posts when it is deleted, taken out with every count kept exact."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Model

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from glimpse.posts.models import (
    Comment,
    CommentLike,
    Hashtag,
    Like,
    Place,
    Post,
    PostHashtag,
    ReelView,
    Repost,
    Save,
)
from glimpse.posts.services.common import count_add
from glimpse.posts.services.posts import media_files_delete


def account_posts_delete(*, user: User) -> None:
    """Delete an account's posts, likes, comments, saves, reposts and Reel plays, fixing
    others' counts.

    Call it in the transaction that deletes the account, before the account itself.
    """
    with transaction.atomic():
        live = Post.objects.filter(author=user, is_archived=False)
        _subtract(
            Hashtag,
            "post_count",
            Counter(PostHashtag.objects.filter(post__in=live).values_list("hashtag_id", flat=True)),
        )
        _subtract(
            Place,
            "post_count",
            Counter(live.exclude(place=None).values_list("place_id", flat=True)),
        )
        for model, field in ((Like, "like_count"), (Save, "save_count"), (Repost, "repost_count")):
            rows = model.objects.filter(user=user)
            _subtract(Post, field, Counter(rows.values_list("post_id", flat=True)))
            rows.delete()
        plays = ReelView.objects.filter(viewer=user)
        _subtract(Post, "view_count", Counter(plays.values_list("post_id", flat=True)))
        plays.delete()
        likes = CommentLike.objects.filter(user=user)
        _subtract(Comment, "like_count", Counter(likes.values_list("comment_id", flat=True)))
        likes.delete()
        _comments_delete(user)
        media = MediaItem.objects.filter(post_item__post__author=user)
        keys = list(media.values_list("storage_key", flat=True))
        media.delete()
        Post.objects.filter(author=user).delete()
        transaction.on_commit(lambda: media_files_delete(keys))


def _comments_delete(user: User) -> None:
    """Delete the account's comments with the replies in their threads, fixing the counts."""
    mine = Comment.objects.filter(author=user)
    # A post loses the account's comments and the others' replies in the account's threads.
    lost = Counter(mine.values_list("post_id", flat=True))
    lost.update(
        Comment.objects.filter(parent__author=user)
        .exclude(author=user)
        .values_list("post_id", flat=True)
    )
    _subtract(Post, "comment_count", lost)
    replies = mine.filter(parent__isnull=False).exclude(parent__author=user)
    _subtract(Comment, "reply_count", Counter(replies.values_list("parent_id", flat=True)))
    mine.delete()


def _subtract(model: type[Model], field: str, amounts: Counter[int]) -> None:
    """Take each row's amount off its counter, one statement per distinct amount."""
    by_amount: dict[int, list[int]] = defaultdict(list)
    for pk, amount in amounts.items():
        by_amount[amount].append(pk)
    for amount, pks in by_amount.items():
        count_add(model._default_manager.filter(pk__in=pks), field, -amount)
