"""Health checks and the error pages Django renders itself."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve

from glimpse.core.middleware import API_PREFIX, error_response

logger = logging.getLogger(__name__)


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
    """Serve an uploaded file from MEDIA_ROOT (embedded default only; production uses storage)."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Render a 404: JSON under /api/, a page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return error_response(404)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render a 500: JSON under /api/, a page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return error_response(500)
    return render(request, "errors/500.html", status=500)


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
