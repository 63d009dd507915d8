"""Reads of imports: the viewer's own imports only (anyone else's is not found)."""

from __future__ import annotations

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.imports.models import ArchiveImport

MISSING = "No import with this id."


def archive_import_get(*, viewer: User, import_id: int) -> ArchiveImport:
    """Return one of the viewer's imports, or raise NotFound (another's is not found either)."""
    job = ArchiveImport.objects.filter(pk=import_id, user=viewer).first()
    if job is None:
        raise NotFound(MISSING)
    return job


def archive_import_latest(*, viewer: User) -> ArchiveImport | None:
    """Return the viewer's most recent import, or None."""
    return ArchiveImport.objects.filter(user=viewer).order_by("-id").first()


def archive_import_panel(*, viewer: User) -> dict[str, object]:
    """Return what the "Import" panel of the settings shows for the viewer."""
    job = archive_import_latest(viewer=viewer)
    return {
        "archive_import": job,
        "import_pending": job is not None and job.is_pending,
        "import_max_bytes": settings.GLIMPSE_IMPORT_MAX_BYTES,
    }
