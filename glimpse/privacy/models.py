"""People's own data: archives of an account's data, and files waiting to be erased."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel


class DataExport(SnowflakeModel):
    """A zip of everything an account made, built by a background job."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        READY = "ready"
        FAILED = "failed"
        EXPIRED = "expired"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, 0 to 100
    # The zip's name in the storage backend, under exports/<user id>/; empty until ready.
    file_name = models.CharField(max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Touched at each step of the job: a pending export that stops moving was lost.
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    PENDING: ClassVar = (Status.QUEUED, Status.RUNNING)

    class Meta:
        constraints: ClassVar = [
            # One archive in the making per account: a second request joins the first.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "running"]),
                name="privacy_export_one_pending",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["user", "-id"], name="privacy_export_user"),
            models.Index(fields=["status", "expires_at"], name="privacy_export_expiry"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.status})"

    def id_shard(self) -> int | None:
        """Keep an export on its owner's logical shard."""
        return shard_of(self.user_id) if self.user_id else None


class StorageSweep(models.Model):
    """A storage folder to empty once the rows that named it are gone.

    Written in the same transaction that deletes those rows, and removed only after every
    file under it is deleted, so a job killed halfway leaves a note that the next run
    finishes.
    """

    prefix = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.prefix
