"""The JSON shapes of imports in the API."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from ninja import Schema
from pydantic import Field

from glimpse.imports.models import ArchiveImport


class SkippedOut(Schema):
    """Something of the archive that was not imported, and why."""

    item: str
    reason: str


class ImportReportOut(Schema):
    """What an import brought in so far."""

    posts: int = Field(description="Posts imported by this run.")
    stories: int = Field(description="Stories imported into the story archive by this run.")
    already: int = Field(description="Items an earlier import had brought in already.")
    skipped_count: int
    skipped: list[SkippedOut] = Field(description="The first 200 items skipped, with reasons.")


class ImportOut(Schema):
    """An import of an archive, waiting, running or finished."""

    id: str
    status: str = Field(description="queued, running, done or failed.")
    source: str = Field(description='"instagram" or "glimpse" once read; "" before.')
    progress: int = Field(description="Percent done, 0 to 100.")
    size_bytes: int
    report: ImportReportOut
    error: str = Field(description="Why a failed import stopped.")
    offered_bio: str = Field(description="The archive's bio, until used.")
    offers_picture: bool = Field(description="Whether the archive's profile picture is offered.")
    created_at: datetime
    finished_at: datetime | None


class SkippedJson(TypedDict):
    item: str
    reason: str


class ImportReportJson(TypedDict):
    posts: int
    stories: int
    already: int
    skipped_count: int
    skipped: list[SkippedJson]


class ImportJson(TypedDict):
    id: str
    status: str
    source: str
    progress: int
    size_bytes: int
    report: ImportReportJson
    error: str
    offered_bio: str
    offers_picture: bool
    created_at: datetime
    finished_at: datetime | None


def import_out(job: ArchiveImport) -> ImportJson:
    """Return the API shape of an import."""
    report = job.report or {}
    return {
        "id": str(job.pk),
        "status": job.status,
        "source": job.source,
        "progress": job.progress,
        "size_bytes": job.size_bytes,
        "report": {
            "posts": int(report.get("posts", 0)),
            "stories": int(report.get("stories", 0)),
            "already": int(report.get("already", 0)),
            "skipped_count": int(report.get("skipped_count", 0)),
            "skipped": list(report.get("skipped", [])),
        },
        "error": job.error,
        "offered_bio": job.offered_bio,
        "offers_picture": bool(job.offered_picture),
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }
