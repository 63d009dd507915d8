"""Web pages of imports: upload an archive, follow its import, use the profile it offers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, InvalidInput, NotFound, PayloadTooLarge
from glimpse.core.web import form_status
from glimpse.imports import selectors, services

# Room for the multipart envelope around the file.
ENVELOPE_BYTES = 64 * 1024


@login_required
@require_POST
def import_start(request: HttpRequest) -> HttpResponse:
    """Take an uploaded archive and queue its import; back to the settings."""
    most = settings.GLIMPSE_IMPORT_MAX_BYTES
    try:
        # Refused by its declared length first, before the file is looked at.
        if int(request.headers.get("Content-Length") or 0) > most + ENVELOPE_BYTES:
            raise PayloadTooLarge(f"An archive can be at most {most // (1024 * 1024)} MB.")
        upload = request.FILES.get("archive")
        if upload is None:
            raise InvalidInput("Choose the zip file of your archive.", code="missing_file")
        services.archive_import_start(
            user=request_viewer(request), upload=upload, size_bytes=upload.size or 0
        )
    except GlimpseError as error:
        return _refused(request, error)
    messages.info(request, "We are importing your archive. You can leave this page.")
    return redirect(reverse("accounts:settings") + "#import")


@never_cache
@login_required
@require_safe
def import_panel(request: HttpRequest) -> HttpResponse:
    """Render the "Import" panel alone (the settings page polls it while an import runs)."""
    context = selectors.archive_import_panel(viewer=request_viewer(request))
    return render(request, "imports/panel.html", context)


@login_required
@require_POST
def import_use_bio(request: HttpRequest, import_id: int) -> HttpResponse:
    """Make the bio an import offers the viewer's own."""
    return _apply(request, import_id, services.archive_import_use_bio, "Your bio is updated.")


@login_required
@require_POST
def import_use_picture(request: HttpRequest, import_id: int) -> HttpResponse:
    """Make the profile picture an import offers the viewer's own."""
    return _apply(
        request, import_id, services.archive_import_use_picture, "Your profile picture is updated."
    )


def _apply(
    request: HttpRequest, import_id: int, service: Callable[..., object], done: str
) -> HttpResponse:
    try:
        service(user=request_viewer(request), import_id=import_id)
    except NotFound as error:
        raise Http404(error.message) from error
    except GlimpseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(reverse("accounts:settings") + "#import")


def _refused(request: HttpRequest, error: GlimpseError) -> HttpResponse:
    # The whole settings page again, the import section showing why.
    return render(
        request,
        "accounts/settings.html",
        {"import_error": error.message},
        status=form_status(error),
    )
