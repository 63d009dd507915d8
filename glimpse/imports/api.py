"""Imports in the API: upload an archive, follow its import, use the profile it offers."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Router, Status, UploadedFile

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.imports import selectors, services
from glimpse.imports.schemas import ImportJson, ImportOut, import_out
from glimpse.posts.schemas import Id

router = Router(tags=["imports"], auth=api_auth)


@router.post("/imports", response={202: ImportOut, **errors(401, 403, 409, 413, 415, 422, 429)})
def archive_import_start(request: HttpRequest, file: File[UploadedFile]) -> Status[ImportJson]:
    """Upload an archive (Instagram's JSON download, or Glimpse's own) to import.

    It answers at once; the import runs in the background (`GET imports/{id}` follows it).
    Imported posts keep their dates and reach no one's feed.
    """
    job = services.archive_import_start(
        user=request_user(request), upload=file, size_bytes=file.size or 0
    )
    return Status(202, import_out(job))


@router.get("/imports/{import_id}", response={200: ImportOut, **errors(401, 404, 422)})
def archive_import_get(request: HttpRequest, import_id: Id) -> ImportJson:
    """One of the viewer's imports: status, progress and report (another's is a 404)."""
    return import_out(
        selectors.archive_import_get(viewer=request_user(request), import_id=import_id)
    )


@router.post(
    "/imports/{import_id}/use-bio", response={200: ImportOut, **errors(401, 404, 409, 422)}
)
def archive_import_use_bio(request: HttpRequest, import_id: Id) -> ImportJson:
    """Make the bio of a finished import's archive the viewer's own."""
    user = request_user(request)
    services.archive_import_use_bio(user=user, import_id=import_id)
    return import_out(selectors.archive_import_get(viewer=user, import_id=import_id))


@router.post(
    "/imports/{import_id}/use-picture",
    response={200: ImportOut, **errors(401, 404, 409, 413, 415, 422, 429)},
)
def archive_import_use_picture(request: HttpRequest, import_id: Id) -> ImportJson:
    """Make the profile picture of a finished import's archive the viewer's own."""
    user = request_user(request)
    services.archive_import_use_picture(user=user, import_id=import_id)
    return import_out(selectors.archive_import_get(viewer=user, import_id=import_id))
