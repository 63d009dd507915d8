"""Health checks and the error pages Django renders itself."""

from __future__ import annotations

import logging
import mimetypes
import os
import posixpath
import stat
import sys
import time
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from glimpse.core.files import file_response
from glimpse.core.middleware import API_PREFIX, error_response
from glimpse.core.storage import EXPIRES, SIGNATURE, media_url_valid
from glimpse.core.unavailable import retry_later, service_unavailable

logger = logging.getLogger(__name__)

MEDIA_POLICY = "default-src 'none'; sandbox"
# Served inline: the picture and video types the media pipeline accepts or writes.
INLINE_MEDIA_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "image/avif",
        "image/heic",
        "image/heif",
        "video/mp4",
        "video/quicktime",
        "video/webm",
    }
)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer that the process is up."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer whether the database and the cache can be reached."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ready = all(checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if ready else 503)


def media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """Serve a file of the local media folder to a URL the storage signed, with byte ranges.

    An unsigned, tampered or expired URL, or one signed for another path, answers exactly
    like a missing file, so originals and edit bases (never signed) cannot be reached.
    No file may run as a page of this site: the browser must not guess another type, the
    file gets a policy that allows nothing and sandboxes it, and only pictures and videos
    show inline; anything else (an HTML page, an SVG that could hold a script) downloads.
    """
    now = time.time()
    expires = request.GET.get(EXPIRES, "")
    signature = request.GET.get(SIGNATURE, "")
    if not media_url_valid(name=path, expires=expires, signature=signature, now=now):
        raise Http404("No such file.")
    file, info = _open_media(path)
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = file_response(
        request, file, size=info.st_size, content_type=content_type, modified=info.st_mtime
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    if response.status_code in (200, 206):
        inline = content_type in INLINE_MEDIA_TYPES
        disposition = content_disposition_header(
            as_attachment=not inline, filename=PurePosixPath(path).name
        )
        response["Content-Disposition"] = disposition or "attachment"
        # The browser may keep it while the URL lives; no shared cache keeps a signed URL.
        response["Cache-Control"] = f"private, max-age={max(0, int(expires) - int(now))}"
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Render a 404: JSON under /api/, a page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return error_response(404, request.path)
    return _render_error_page(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render a 500, or a 503 when a backing service is down: JSON under /api/, else a page.

    Django calls this while handling the exception, so ``sys.exc_info()`` still holds it.
    """
    if not service_unavailable(sys.exc_info()[1]):
        if request.path.startswith(API_PREFIX):
            return error_response(500, request.path)
        return _render_error_page(request, "errors/500.html", 500)
    if request.path.startswith(API_PREFIX):
        return retry_later(error_response(503, request.path))
    # Rendered without the request: its context processors would query the database.
    return retry_later(HttpResponse(render_to_string("errors/503.html"), status=503))


def _render_error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """Render an error page, giving back a database connection the rendering opened.

    Under ASGI, Django renders error pages in a worker thread of the event loop, not in the
    request's thread, and nothing closes a connection opened there (the page's navigation
    reads the signed-in account and its unread count): the thread would keep it, and the
    pool would run dry. Under WSGI the request's connection is already open and stays.
    """
    opened_here = connection.connection is None
    response = render(request, template, status=status)
    if opened_here and not connection.in_atomic_block:
        connection.close()
    return response


def _open_media(path: str) -> tuple[BinaryIO, os.stat_result]:
    """Open a regular file under MEDIA_ROOT, or raise Http404 (also for a folder)."""
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, posixpath.normpath(path).lstrip("/")))
        file = full.open("rb")
    except (SuspiciousFileOperation, OSError):
        raise Http404("No such file.") from None
    info = os.fstat(file.fileno())
    if not stat.S_ISREG(info.st_mode):
        file.close()
        raise Http404("No such file.")
    return file, info


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("readiness: database unreachable")
        return False


def _cache_ok() -> bool:
    try:
        cache.set("readyz", "1", timeout=5)
        return cache.get("readyz") == "1"
    except Exception:
        logger.exception("readiness: cache unreachable")
        return False
