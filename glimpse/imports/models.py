"""Imports of archives made elsewhere (Instagram's, another Glimpse server's), and what each
one brought in, so that a second run adds nothing twice."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel


class ArchiveImport(SnowflakeModel):
    """One uploaded archive and the background job that brings its posts and stories in."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    class Source(models.TextChoices):
        UNKNOWN = ""  # not read yet
        INSTAGRAM = "instagram"
        GLIMPSE = "glimpse"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="archive_imports"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    source = models.CharField(max_length=16, choices=Source.choices, blank=True, default="")
    progress = models.PositiveSmallIntegerField(default=0)  # percent, 0 to 100
    # The uploaded zip in the storage backend, under imports/<user id>/; deleted at the end.
    file_name = models.CharField(max_length=200)
    size_bytes = models.PositiveBigIntegerField(default=0)
    # {"posts": n, "stories": n, "already": n, "skipped": [{"item": ..., "reason": ...}]}
    report = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)  # why a failed import stopped
    # Offered on the result page, applied only when the owner asks.
    offered_bio = models.TextField(blank=True)
    offered_picture = models.CharField(max_length=200, blank=True)  # a stored file's name
    created_at = models.DateTimeField(default=timezone.now)
    # Touched at each item: a pending import that stops moving was lost with its worker.
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    PENDING: ClassVar = (Status.QUEUED, Status.RUNNING)

    class Meta:
        constraints: ClassVar = [
            # One import at a time per account: its items are checked against the last one's.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "running"]),
                name="imports_one_pending",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["user", "-id"], name="imports_user"),
            models.Index(fields=["status", "updated_at"], name="imports_status"),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.user_id} ({self.status})"

    def id_shard(self) -> int | None:
        """Keep an import on its owner's logical shard."""
        return shard_of(self.user_id) if self.user_id else None

    @property
    def is_pending(self) -> bool:
        """Tell whether the import is still waiting or running."""
        return self.status in self.PENDING


class ImportedItem(SnowflakeModel):
    """A post or story of an archive that is now on Glimpse, by a key stable across runs."""

    class Kind(models.TextChoices):
        POST = "post"
        STORY = "story"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # A digest of the source item's identity (Instagram: its first file and its time).
    key = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.BigIntegerField()  # the post's or story's id (gone if deleted since)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "key"], name="imports_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} imported by {self.user_id}"

    def id_shard(self) -> int | None:
        """Keep a record on its owner's logical shard."""
        return shard_of(self.user_id) if self.user_id else None
