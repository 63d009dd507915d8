"""A draft: a post in waiting, kept on the server until its author publishes it.

A draft with ``publish_at`` set is a scheduled post: the periodic job publishes it then
(``services.drafts.drafts_publish_due``). Until published it is not a post at all, so no one
but its author can see it, by construction. Its items hold their media items (``held_at``),
which keep their own edits (filter, adjustments, crop).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel
from glimpse.posts.models.post import Post

# The longest IANA time zone name kept (the longest in use has 32 characters).
TIME_ZONE_MAX = 64


class Draft(SnowflakeModel):
    """A post being composed or scheduled: caption, place, settings, and items in order."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    caption = models.TextField(blank=True)
    place = models.ForeignKey(
        "posts.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Post.Kind.choices, default=Post.Kind.POST)
    comments_enabled = models.BooleanField(default=True)
    hide_like_count = models.BooleanField(default=False)
    # Scheduled: published by the periodic job once this time has come.
    publish_at = models.DateTimeField(null=True, blank=True)
    # The author's IANA time zone, to show the time back as it was chosen.
    time_zone = models.CharField(max_length=TIME_ZONE_MAX, default="UTC")
    # Why the last attempt to publish it failed; the job leaves a failed draft alone until
    # its author changes it (or publishes it by hand).
    failure = models.CharField(max_length=500, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["author", "-id"]),
            # The periodic job reads the due scheduled posts that have not failed, soonest first.
            models.Index(
                fields=["publish_at"],
                condition=models.Q(publish_at__isnull=False, failed_at__isnull=True),
                name="posts_drafts_due",
            ),
        ]

    def __str__(self) -> str:
        return f"draft {self.pk} by {self.author_id}"

    def id_shard(self) -> int | None:
        """Keep a draft on its author's logical shard."""
        return shard_of(self.author_id) if self.author_id else None

    @property
    def is_scheduled(self) -> bool:
        """Tell whether the draft is to be published at a set time."""
        return self.publish_at is not None


class DraftItem(SnowflakeModel):
    """One media item of a draft, at its place, with the alt text and people tags to publish."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="items")
    media = models.OneToOneField(
        "media.MediaItem", on_delete=models.CASCADE, related_name="draft_item"
    )
    position = models.PositiveSmallIntegerField()
    # The media item's own alt text when the draft said none.
    alt_text = models.CharField(max_length=1500, blank=True)
    # [{"username", "x", "y"}], checked again when published.
    people_tags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering: ClassVar = ["position"]
        indexes: ClassVar = [models.Index(fields=["draft", "position"])]

    def __str__(self) -> str:
        return f"item {self.position} of draft {self.draft_id}"

    def id_shard(self) -> int | None:
        """Keep an item on its draft's logical shard."""
        return shard_of(self.draft_id) if self.draft_id else None
