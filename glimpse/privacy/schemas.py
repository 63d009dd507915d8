"""The JSON shapes of people's own data in the API."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from ninja import Schema
from pydantic import Field

from glimpse.privacy.models import DataExport
from glimpse.privacy.selectors import data_export_download_url


class DeletionOut(Schema):
    """When a scheduled account deletion will be carried out."""

    deletion_at: datetime = Field(description="Log in before this time to cancel the deletion.")


class DataExportOut(Schema):
    """An archive of the viewer's data, in the making or made."""

    id: str
    status: str = Field(description="queued, running, ready, failed or expired.")
    progress: int = Field(description="Percent done, 0 to 100.")
    size_bytes: int
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None = Field(description="When the archive and its link go away.")
    download_url: str | None = Field(
        description="While ready: a link for the owner only (session or bearer token); "
        "410 once expired."
    )


class DataExportJson(TypedDict):
    id: str
    status: str
    progress: int
    size_bytes: int
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    download_url: str | None


def data_export_out(export: DataExport) -> DataExportJson:
    """Return the API shape of an export."""
    return {
        "id": str(export.pk),
        "status": export.status,
        "progress": export.progress,
        "size_bytes": export.size_bytes,
        "created_at": export.created_at,
        "finished_at": export.finished_at,
        "expires_at": export.expires_at,
        "download_url": data_export_download_url(export),
    }
