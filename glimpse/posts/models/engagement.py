"""What accounts do with posts: likes, saves into collections, reposts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel

if TYPE_CHECKING:
    from glimpse.posts.models.post import Post


class Like(SnowflakeModel):
    """An account's like of a post (at most one per account and post)."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "user"], name="posts_like_unique"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["post", "-id"]),
            models.Index(fields=["user", "post"]),
            # Trending reads the latest likes of the whole network.
            models.Index(fields=["-created_at"], name="posts_like_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.post_id}"

    def id_shard(self) -> int | None:
        """Keep a like on its post's logical shard."""
        return shard_of(self.post_id) if self.post_id else None


class Save(SnowflakeModel):
    """A post an account saved (its "All posts" collection); private to the account."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="saves")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saves"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "user"], name="posts_save_unique"),
        ]
        indexes: ClassVar = [models.Index(fields=["user", "-id"])]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.post_id}"

    def id_shard(self) -> int | None:
        """Keep a save on its account's logical shard."""
        return shard_of(self.user_id) if self.user_id else None


class Collection(SnowflakeModel):
    """A named collection of saved posts; only its owner sees it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # Filled by the collection selectors: visible posts in it, and the latest of them.
    post_count = 0
    cover_id: int | None = None
    cover: Post | None = None

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "-id"])]

    def __str__(self) -> str:
        return self.name

    def id_shard(self) -> int | None:
        """Keep a collection on its owner's logical shard."""
        return shard_of(self.owner_id) if self.owner_id else None


class CollectionItem(SnowflakeModel):
    """A saved post in a collection."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, related_name="collection_items"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["collection", "post"], name="posts_collectionitem_unique"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["collection", "-id"])]

    def __str__(self) -> str:
        return f"{self.post_id} in {self.collection_id}"

    def id_shard(self) -> int | None:
        """Keep an entry on its collection's logical shard."""
        return shard_of(self.collection_id) if self.collection_id else None


class Repost(SnowflakeModel):
    """A public post shared by another account to its followers, crediting the author."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="reposts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reposts"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "user"], name="posts_repost_unique"),
        ]
        indexes: ClassVar = [models.Index(fields=["user", "-id"])]

    def __str__(self) -> str:
        return f"{self.user_id} reposted {self.post_id}"

    def id_shard(self) -> int | None:
        """Keep a repost on its sharer's logical shard."""
        return shard_of(self.user_id) if self.user_id else None
