"""Every write to data exports: request one, build it (the job's body), expire old ones."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.jobs import enqueue_on_commit
from glimpse.core.ratelimit import rate_limit_hit
from glimpse.media.storage import storage_put
from glimpse.privacy.archive import archive_temporary, archive_write
from glimpse.privacy.erase import export_folder
from glimpse.privacy.models import DataExport

logger = logging.getLogger(__name__)

Status = DataExport.Status


def data_export_request(*, user: User) -> DataExport:
    """Queue an archive of the account's data; an archive still in the making is returned.

    Raises RateLimited past the daily number of new archives.
    """
    pending = DataExport.objects.filter(user=user, status__in=DataExport.PENDING).first()
    if pending is not None:
        return pending
    limit, window = settings.GLIMPSE_RATE_DATA_EXPORTS
    rate_limit_hit(scope="data-export", identity=str(user.pk), limit=limit, window=window)
    # The name is chosen now, so a job that runs twice overwrites its own file, never leaks one.
    name = f"{export_folder(user.pk)}/glimpse-{user.username}-{secrets.token_hex(16)}.zip"
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user, file_name=name)
            enqueue_on_commit(_build_task(), export.pk)
    except IntegrityError:  # a concurrent request created it first: join that one
        return DataExport.objects.get(user=user, status__in=DataExport.PENDING)
    return export


def data_export_build(*, export_id: int) -> str:
    """Build the archive of a queued export and store it; return the export's final status.

    Safe to run twice or after a killed run: a finished export is left alone, and the file
    is written at its one name, replacing any partial copy.
    """
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id)
            .first()
        )
        if export is None:
            return "missing"
        if export.status not in DataExport.PENDING:
            return str(export.status)
        export.status = Status.RUNNING
        export.progress = 0
        export.updated_at = timezone.now()
        export.save(update_fields=["status", "progress", "updated_at"])
    try:
        size = _write(export)
    except Exception:
        logger.exception("data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
            status=Status.FAILED, finished_at=timezone.now()
        )
        default_storage.delete(export.file_name)
        return str(Status.FAILED)
    now = timezone.now()
    finished = DataExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
        status=Status.READY,
        progress=100,
        size_bytes=size,
        finished_at=now,
        updated_at=now,
        expires_at=now + timedelta(days=settings.GLIMPSE_EXPORT_DAYS),
    )
    if not finished:  # marked failed or deleted meanwhile: its file must not linger
        default_storage.delete(export.file_name)
        return "abandoned"
    return str(Status.READY)


def data_exports_expire() -> int:
    """Delete the archives past their expiry and give up on stalled ones; return how many."""
    now = timezone.now()
    stale = now - timedelta(minutes=settings.GLIMPSE_EXPORT_STALE_MINUTES)
    changed = 0
    due = DataExport.objects.filter(status=Status.READY, expires_at__lte=now)
    for export_id, name in list(due.values_list("pk", "file_name")):
        default_storage.delete(name)
        changed += DataExport.objects.filter(pk=export_id, status=Status.READY).update(
            status=Status.EXPIRED
        )
    # A job lost with its worker: the account may ask again (the failed row frees the slot).
    lost = DataExport.objects.filter(status__in=DataExport.PENDING, updated_at__lte=stale)
    for export_id, name in list(lost.values_list("pk", "file_name")):
        default_storage.delete(name)
        changed += DataExport.objects.filter(pk=export_id, status__in=DataExport.PENDING).update(
            status=Status.FAILED, finished_at=now
        )
    return changed


def _write(export: DataExport) -> int:
    """Write the zip to a temporary file, then store it; return its size in bytes."""
    last = [0]

    def progress(percent: int) -> None:
        # One write per visible step, not one per file.
        if percent > last[0]:
            last[0] = percent
            DataExport.objects.filter(pk=export.pk, status=Status.RUNNING).update(
                progress=percent, updated_at=timezone.now()
            )

    with archive_temporary() as temporary:
        archive_write(user=export.user, target=temporary, progress=progress)
        size = temporary.tell()
        temporary.seek(0)
        storage_put(export.file_name, temporary)
    return size


def _build_task() -> Any:
    from glimpse.privacy.tasks import data_export_build_job  # the task module imports this one

    return data_export_build_job
