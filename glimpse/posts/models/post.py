"""A post: its media items in order, people tags on them, and its edit history.

A post is published either as a plain post or as a Reel (``Post.Kind``): one vertical video
that also plays in the Reels feed and on the profile's Reels tab, with a count of the
accounts that played it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel
from glimpse.graph.visibility import accounts_discoverable_to, accounts_unmuted_for
from glimpse.posts.visibility import posts_listed_to, posts_visible_to

if TYPE_CHECKING:
    from glimpse.accounts.models import User


class PostQuerySet(models.QuerySet["Post"]):
    """Posts, read through the visibility policy (``glimpse.posts.visibility``)."""

    def visible_to(self, viewer: User | None) -> PostQuerySet:
        """Keep the posts the viewer may see (its own archived ones included)."""
        return self.filter(posts_visible_to(viewer))

    def listed_to(self, viewer: User | None) -> PostQuerySet:
        """Keep the posts lists show the viewer: visible and not archived."""
        return self.filter(posts_listed_to(viewer))

    def unmuted_for(self, viewer: User | None) -> PostQuerySet:
        """Drop the posts of the accounts the viewer muted (feeds and Explore only)."""
        return self.filter(accounts_unmuted_for(viewer, account="author"))

    def discoverable_to(self, viewer: User | None) -> PostQuerySet:
        """Drop the posts of limited servers' accounts the viewer does not follow (public
        surfaces only: Explore, hashtag and place pages, search, the public timeline)."""
        return self.filter(accounts_discoverable_to(viewer, account="author"))

    def reels(self) -> PostQuerySet:
        """Keep the posts published as Reels."""
        return self.filter(kind=Post.Kind.REEL)


class Post(SnowflakeModel):
    """A published photo, video or carousel with its caption and counters."""

    class Kind(models.TextChoices):
        POST = "post"
        REEL = "reel"  # one vertical video, also shown in the Reels feed

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    caption = models.TextField(blank=True)
    place = models.ForeignKey(
        "posts.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    hashtags = models.ManyToManyField(
        "posts.Hashtag", through="posts.PostHashtag", related_name="posts"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.POST)
    comments_enabled = models.BooleanField(default=True)
    hide_like_count = models.BooleanField(default=False)
    is_archived = models.BooleanField(default=False)
    pinned_at = models.DateTimeField(null=True, blank=True)  # pinned to the profile when set
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    save_count = models.PositiveIntegerField(default=0)
    repost_count = models.PositiveIntegerField(default=0)
    # A Reel's plays: distinct accounts other than its author (see ReelView).
    view_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Set for a post brought in from an archive (imports): where from, and when. Its
    # created_at is the original date; it never went into feeds as news.
    imported_from = models.CharField(max_length=16, blank=True, default="", db_default="")
    imported_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    # Filled by selectors.posts_hydrate for the viewer a page is rendered for.
    viewer_liked = False
    viewer_saved = False
    viewer_reposted = False
    viewer_is_author = False

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["author", "-id"]),
            models.Index(fields=["place", "-id"]),
            # The Reels feed and a profile's Reels tab read reels alone, newest first.
            models.Index(fields=["-id"], condition=models.Q(kind="reel"), name="posts_reels"),
            models.Index(
                fields=["author", "-id"],
                condition=models.Q(kind="reel"),
                name="posts_author_reels",
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(pinned_at__isnull=True) | models.Q(is_archived=False),
                name="posts_post_pinned_not_archived",
            )
        ]

    def __str__(self) -> str:
        return f"post {self.pk} by {self.author_id}"

    def id_shard(self) -> int | None:
        """Keep a post on its author's logical shard."""
        return shard_of(self.author_id) if self.author_id else None

    @property
    def is_pinned(self) -> bool:
        """Tell whether the post is pinned to the top of its author's profile."""
        return self.pinned_at is not None

    @property
    def shown_like_count(self) -> int | None:
        """Return the like count the hydrated viewer may see: hidden ones only to the author."""
        if self.hide_like_count and not self.viewer_is_author:
            return None
        return self.like_count

    @property
    def is_reel(self) -> bool:
        """Tell whether the post was published as a Reel."""
        return self.kind == Post.Kind.REEL

    @property
    def is_imported(self) -> bool:
        """Tell whether the post was brought in from an archive of another service."""
        return bool(self.imported_from)

    def is_by(self, user: User | None) -> bool:
        """Tell whether ``user`` wrote this post."""
        return user is not None and user.pk == self.author_id


class PostItem(SnowflakeModel):
    """One media item of a post, at its place in the carousel, with its own alt text."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="items")
    media = models.OneToOneField(
        "media.MediaItem", on_delete=models.CASCADE, related_name="post_item"
    )
    position = models.PositiveSmallIntegerField()
    alt_text = models.CharField(max_length=1500, blank=True)

    class Meta:
        ordering: ClassVar = ["position"]
        indexes: ClassVar = [models.Index(fields=["post", "position"])]

    def __str__(self) -> str:
        return f"item {self.position} of post {self.post_id}"

    def id_shard(self) -> int | None:
        """Keep an item on its post's logical shard."""
        return shard_of(self.post_id) if self.post_id else None


class PeopleTag(SnowflakeModel):
    """An account tagged on a media item of a post, at a position in 0..1 of its frame."""

    item = models.ForeignKey(PostItem, on_delete=models.CASCADE, related_name="people_tags")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="people_tags")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tagged_in"
    )
    x = models.FloatField()
    y = models.FloatField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["item", "account"], name="posts_peopletag_unique"),
        ]
        indexes: ClassVar = [models.Index(fields=["account", "-id"])]

    def __str__(self) -> str:
        return f"{self.account_id} on item {self.item_id}"

    def id_shard(self) -> int | None:
        """Keep a tag on its post's logical shard."""
        return shard_of(self.post_id) if self.post_id else None


class PostEdit(SnowflakeModel):
    """One edit of a post after publishing: what each changed field was and became."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    # {"caption": {"before": ..., "after": ...}, "place": {...}, "items": {...}}
    changes = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["post", "-id"])]

    def __str__(self) -> str:
        return f"edit of post {self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def id_shard(self) -> int | None:
        """Keep an edit on its post's logical shard."""
        return shard_of(self.post_id) if self.post_id else None


class ReelView(models.Model):
    """An account that played a Reel: one row per account and reel, whatever the replays.

    The default auto-increment key, as insights' view rows: many are written, none is ever
    listed or paginated, and none needs an id store round trip.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "viewer"], name="posts_reelview_unique"),
        ]
        indexes: ClassVar = [models.Index(fields=["viewer"], name="posts_reelview_viewer")]

    def __str__(self) -> str:
        return f"{self.viewer_id} played {self.post_id}"
