"""Every write of imports: take an archive, run its import (the job's body), apply the
profile it offers, give up on lost imports.

Each post and story goes through the same services as any other: its files through the
media pipeline (content check, allow-list, size and megapixel limits, rendering), then
``post_create`` or ``story_import``. A source item is recorded with the post or story it
became in the same transaction, so a run killed halfway and run again adds nothing twice.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services.moves import account_publish_check
from glimpse.accounts.services.profiles import avatar_set, profile_update
from glimpse.core.errors import Conflict, PayloadTooLarge, UnsupportedMediaType
from glimpse.core.jobs import enqueue_on_commit
from glimpse.core.ratelimit import rate_limit_hit
from glimpse.imports.items import ItemRun
from glimpse.imports.layouts import contents_read
from glimpse.imports.models import ArchiveImport
from glimpse.imports.selectors import archive_import_get
from glimpse.imports.zipreader import ArchiveRefused, MemberRefused, SafeZip
from glimpse.media.storage import local_copy, storage_delete_prefix, storage_put

logger = logging.getLogger(__name__)

Status = ArchiveImport.Status
# Called with the items done and the items in all, after each one.
Progress = Callable[[int, int], None]
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
NOT_ZIP = "This file is not a zip archive. Upload the zip file as you received it."


def import_folder(user_id: int) -> str:
    """Return the private storage folder of an account's uploaded archives."""
    return f"imports/{user_id}"


def archive_import_start(
    *, user: User, upload: IO[bytes], size_bytes: int, queue: bool = True
) -> ArchiveImport:
    """Store an uploaded archive and queue its import; refuse a second one at a time.

    ``queue=False`` leaves the job to the caller (the management command runs it itself).
    """
    account_publish_check(user=user)
    most = settings.GLIMPSE_IMPORT_MAX_BYTES
    if size_bytes > most:
        raise PayloadTooLarge(f"An archive can be at most {most // (1024 * 1024)} MB.")
    if upload.read(4) not in ZIP_MAGIC:
        raise UnsupportedMediaType(NOT_ZIP, code="not_zip")
    upload.seek(0)
    if ArchiveImport.objects.filter(user=user, status__in=ArchiveImport.PENDING).exists():
        raise Conflict("An import is already under way. Wait for it to finish.", code="pending")
    limit, window = settings.GLIMPSE_RATE_IMPORTS
    rate_limit_hit(scope="archive-import", identity=str(user.pk), limit=limit, window=window)
    name = f"{import_folder(user.pk)}/{secrets.token_hex(16)}.zip"
    storage_put(name, upload)
    try:
        with transaction.atomic():
            job = ArchiveImport.objects.create(user=user, file_name=name, size_bytes=size_bytes)
            if queue:
                enqueue_on_commit(_run_task(), job.pk)
    except IntegrityError:  # a concurrent upload won the one pending slot
        default_storage.delete(name)
        raise Conflict(
            "An import is already under way. Wait for it to finish.", code="pending"
        ) from None
    return job


def archive_import_run(*, import_id: int, progress: Progress | None = None) -> str:
    """Import the posts, stories and profile offers of a queued archive; return its status.

    Safe to run twice or after a killed run: items already recorded are passed over, and a
    finished import is left alone. The archive is deleted once the import ends.
    """
    with transaction.atomic():
        job = (
            ArchiveImport.objects.select_for_update()
            .select_related("user")
            .filter(pk=import_id)
            .first()
        )
        if job is None:
            return "missing"
        if job.status not in ArchiveImport.PENDING:
            return str(job.status)
        job.status, job.updated_at = Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "updated_at"])
    try:
        with local_copy(job.file_name) as path:
            archive = SafeZip(str(path))
            try:
                _import(job, archive, progress)
            finally:
                archive.close()
    except ArchiveRefused as refused:
        return _fail(job, refused.message)
    except Exception:
        logger.exception("archive import %s failed", import_id)
        return _fail(job, "We could not read this archive. Nothing more was imported.")
    default_storage.delete(job.file_name)
    return str(Status.DONE)


def archive_import_use_bio(*, user: User, import_id: int) -> User:
    """Make the bio an import offers the account's own."""
    job = _own_finished(user, import_id)
    if not job.offered_bio:
        raise Conflict("This import offers no bio.", code="no_bio")
    profile_update(user=user, bio=job.offered_bio[: settings.GLIMPSE_BIO_MAX])
    ArchiveImport.objects.filter(pk=job.pk).update(offered_bio="")
    return user


def archive_import_use_picture(*, user: User, import_id: int) -> User:
    """Make the profile picture an import offers the account's own (checked as any upload)."""
    job = _own_finished(user, import_id)
    if not job.offered_picture:
        raise Conflict("This import offers no picture.", code="no_picture")
    with default_storage.open(job.offered_picture, "rb") as stored:
        avatar_set(user=user, upload=stored, size_bytes=default_storage.size(job.offered_picture))
    default_storage.delete(job.offered_picture)
    ArchiveImport.objects.filter(pk=job.pk).update(offered_picture="")
    return user


def archive_imports_sweep() -> int:
    """Give up on imports whose job stopped moving, deleting their archive; return how many."""
    stale = timezone.now() - timedelta(minutes=settings.GLIMPSE_IMPORT_STALE_MINUTES)
    lost = ArchiveImport.objects.filter(status__in=ArchiveImport.PENDING, updated_at__lte=stale)
    changed = 0
    for job in list(lost):
        default_storage.delete(job.file_name)
        changed += ArchiveImport.objects.filter(pk=job.pk, status__in=ArchiveImport.PENDING).update(
            status=Status.FAILED,
            error="The import stopped before the end. Upload the archive again: "
            "what was imported already is not added twice.",
            finished_at=timezone.now(),
        )
    return changed


def archive_import_files_forget(*, user_id: int) -> None:
    """Delete every stored archive and offered picture of an account being erased."""
    storage_delete_prefix(import_folder(user_id))


def _import(job: ArchiveImport, archive: SafeZip, progress: Progress | None) -> None:
    contents = contents_read(archive)
    picture = _keep_picture(job, archive, contents.picture)
    ArchiveImport.objects.filter(pk=job.pk).update(
        source=contents.source, offered_bio=contents.bio, offered_picture=picture
    )
    run = ItemRun(user=job.user, archive=archive, source=contents.source)
    run.problems.extend(contents.problems)
    items: list[Any] = [*contents.posts, *contents.stories]
    total = len(items)
    for done, item in enumerate(items, start=1):
        run.bring_in(item)
        percent = 99 * done // max(total, 1)
        ArchiveImport.objects.filter(pk=job.pk).update(
            progress=percent, report=run.report(), updated_at=timezone.now()
        )
        if progress is not None:
            progress(done, total)
    now = timezone.now()
    ArchiveImport.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.DONE, progress=100, report=run.report(), finished_at=now, updated_at=now
    )


def _keep_picture(job: ArchiveImport, archive: SafeZip, member: str | None) -> str:
    """Store the archive's profile picture apart, for the offer to outlive the archive."""
    if member is None:
        return ""
    suffix = member.rsplit(".", 1)[-1].lower()[:5] if "." in member else "img"
    name = f"{import_folder(job.user_id)}/{job.pk}-picture.{suffix}"
    try:
        with archive.spooled(member, limit=settings.GLIMPSE_PHOTO_MAX_BYTES) as (stream, _size):
            storage_put(name, stream)
    except MemberRefused:
        return ""
    return name


def _fail(job: ArchiveImport, message: str) -> str:
    now = timezone.now()
    ArchiveImport.objects.filter(pk=job.pk).update(
        status=Status.FAILED, error=message[:300], finished_at=now, updated_at=now
    )
    default_storage.delete(job.file_name)
    return str(Status.FAILED)


def _own_finished(user: User, import_id: int) -> ArchiveImport:
    job = archive_import_get(viewer=user, import_id=import_id)
    if job.status != Status.DONE:
        raise Conflict("This import has not finished.", code="not_finished")
    return job


def _run_task() -> Any:
    from glimpse.imports.tasks import archive_import_run_job  # the task module imports this one

    return archive_import_run_job
