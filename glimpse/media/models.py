"""A media item: one uploaded photo or video, its edit parameters and its renditions; and the
blocklist of removed images."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel


class MediaItem(SnowflakeModel):
    """An upload, owned by its uploader until it is attached to a post or story."""

    class Kind(models.TextChoices):
        PHOTO = "photo"
        VIDEO = "video"

    class Status(models.TextChoices):
        PROCESSING = "processing"
        READY = "ready"
        FAILED = "failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media_items"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROCESSING)
    failure_reason = models.CharField(max_length=300, blank=True)
    # Every file of the item lives under media/<storage_key>/: 128 random bits, unguessable.
    storage_key = models.CharField(max_length=32, unique=True)
    upload_name = models.CharField(max_length=200, blank=True)  # raw upload, until processed
    original_name = models.CharField(max_length=200, blank=True)  # clean original (photos)
    width = models.PositiveIntegerField(default=0)  # upright size of the source
    height = models.PositiveIntegerField(default=0)
    duration = models.FloatField(null=True, blank=True)
    has_audio = models.BooleanField(default=False)
    edit = models.JSONField(default=dict, blank=True)  # filter, strength, adjustments
    crop = models.JSONField(null=True, blank=True)  # aspect and rectangle (fractions)
    alt_text = models.CharField(max_length=1500, blank=True)
    # The point a cropped preview keeps in view, each axis in -1..1 (0, 0: the centre; -1, 1:
    # the top left corner), as Mastodon's clients set it; none when the owner never set one.
    focus_x = models.FloatField(null=True, blank=True)
    focus_y = models.FloatField(null=True, blank=True)
    camera = models.JSONField(default=dict, blank=True)  # make, model, lens, exposure...
    show_camera = models.BooleanField(default=False)
    blurhash = models.CharField(max_length=100, blank=True)
    dominant_color = models.CharField(max_length=7, blank=True)
    # [{"name", "format", "width", "height", "path"}] of the rendered version.
    renditions = models.JSONField(default=list, blank=True)
    # Each edit bumps `version`; a job renders one version and only ever publishes its own.
    version = models.PositiveIntegerField(default=1)
    rendered_version = models.PositiveIntegerField(default=0)
    attached_at = models.DateTimeField(null=True, blank=True)
    # Set while a draft or a scheduled post holds the item: the clean-up of items never
    # attached leaves it alone until the draft is published (attached) or deleted (with it).
    held_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["owner", "-id"]),
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["attached_at", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    def id_shard(self) -> int | None:
        """Keep an item on its owner's logical shard."""
        return shard_of(self.owner_id) if self.owner_id else None

    @property
    def focus(self) -> tuple[float, float] | None:
        """Return the focal point as (x, y), or None when none was set."""
        if self.focus_x is None or self.focus_y is None:
            return None
        return (self.focus_x, self.focus_y)

    def rendition(self, name: str, fmt: str) -> dict[str, Any] | None:
        """Return one rendition's record, or None."""
        for item in self.renditions:
            if item["name"] == name and item["format"] == fmt:
                return dict(item)
        return None


class MediaBlock(SnowflakeModel):
    """The perceptual hash of a removed image: an upload that looks the same is refused."""

    # 64-bit difference hash as 16 hex digits (an unsigned 64-bit value fits no SQL integer).
    phash = models.CharField(max_length=16)
    source = models.CharField(max_length=200)
    # The moderator's action that removed the image, by id: moderation sits above media, so
    # no foreign key points up to it.
    action_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table moderation made for it, kept when the model moved here.
        db_table = "moderation_mediablock"
        indexes: ClassVar = [models.Index(fields=["phash"], name="moderation_block_phash")]

    def __str__(self) -> str:
        return f"{self.phash} ({self.source})"
