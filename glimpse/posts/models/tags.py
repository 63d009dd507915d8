"""Hashtags and mentions linked from captions."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import OuterRef
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel
from glimpse.core.queries import first_found
from glimpse.posts.visibility import posts_listed_to

if TYPE_CHECKING:
    from glimpse.accounts.models import User


class HashtagQuerySet(models.QuerySet["Hashtag"]):
    """Hashtags, read through the visibility policy (``glimpse.posts.visibility``)."""

    def visible_to(self, viewer: User | None) -> HashtagQuerySet:
        """Keep the hashtags used by at least one post lists show the viewer: any other
        answers like an unknown one."""
        links = PostHashtag.objects.filter(
            posts_listed_to(viewer, post="post"), hashtag=OuterRef("pk")
        )
        return self.filter(first_found(links.order_by(), "post_id"))


class Hashtag(SnowflakeModel):
    """A hashtag by its canonical (NFKC case-folded) name."""

    name = models.CharField(max_length=100, unique=True)
    post_count = models.PositiveIntegerField(default=0)  # live (not archived) posts
    created_at = models.DateTimeField(default=timezone.now)

    objects = HashtagQuerySet.as_manager()

    def __str__(self) -> str:
        return f"#{self.name}"


class PostHashtag(SnowflakeModel):
    """A hashtag in a post's caption, at its rank of first appearance."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="post_hashtags")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="post_hashtags")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "hashtag"], name="posts_posthashtag_unique"),
        ]
        indexes: ClassVar = [models.Index(fields=["hashtag", "-post"])]

    def __str__(self) -> str:
        return f"#{self.hashtag_id} on {self.post_id}"

    def id_shard(self) -> int | None:
        """Keep a link on its post's logical shard."""
        return shard_of(self.post_id) if self.post_id else None


class PostMention(SnowflakeModel):
    """An existing account mentioned with `@` in a post's caption."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="mentions")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_mentions"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "account"], name="posts_postmention_unique"),
        ]
        indexes: ClassVar = [models.Index(fields=["account", "-id"])]

    def __str__(self) -> str:
        return f"@{self.account_id} in {self.post_id}"

    def id_shard(self) -> int | None:
        """Keep a mention on its post's logical shard."""
        return shard_of(self.post_id) if self.post_id else None
