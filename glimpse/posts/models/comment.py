"""Comments on posts: one level of replies, likes, mentions, one pinned per post."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel
from glimpse.posts.visibility import comments_visible_to

if TYPE_CHECKING:
    from glimpse.accounts.models import User


class CommentQuerySet(models.QuerySet["Comment"]):
    """Comments, read through the visibility policy (``glimpse.posts.visibility``)."""

    def visible_to(self, viewer: User | None) -> CommentQuerySet:
        """Keep the comments the viewer may see."""
        return self.filter(comments_visible_to(viewer))


class Comment(SnowflakeModel):
    """A comment on a post, or a reply in a comment's thread (``parent`` is the thread)."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField()
    like_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    pinned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommentQuerySet.as_manager()

    # Filled by selectors.comments_hydrate for the viewer a page is rendered for.
    viewer_liked = False
    viewer_can_delete = False

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["post", "parent", "-id"]),
            models.Index(fields=["author", "-id"]),
            # Trending reads the latest comments of the whole network.
            models.Index(fields=["-created_at"], name="posts_comment_recent"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(pinned_at__isnull=False),
                name="posts_comment_one_pinned",
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.post_id}"

    def id_shard(self) -> int | None:
        """Keep a comment on its post's logical shard."""
        return shard_of(self.post_id) if self.post_id else None

    @property
    def is_pinned(self) -> bool:
        """Tell whether the post's author pinned this comment."""
        return self.pinned_at is not None


class CommentLike(SnowflakeModel):
    """An account's like of a comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["comment", "user"], name="posts_commentlike_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes comment {self.comment_id}"

    def id_shard(self) -> int | None:
        """Keep a like on its comment's logical shard."""
        return shard_of(self.comment_id) if self.comment_id else None


class CommentMention(SnowflakeModel):
    """An existing account mentioned with `@` in a comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_mentions"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["comment", "account"], name="posts_commentmention_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"@{self.account_id} in comment {self.comment_id}"
