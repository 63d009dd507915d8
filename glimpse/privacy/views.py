"""Web pages of people's own data: archive it, follow the archive, download it; delete it all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseGone,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from glimpse.accounts.auth import BearerTokenAuth
from glimpse.accounts.forms import AccountDeleteForm
from glimpse.accounts.models import User
from glimpse.accounts.viewers import request_viewer, request_viewer_or_none
from glimpse.core.errors import GlimpseError, NotFound, RateLimited
from glimpse.core.web import INVALID_FORM_STATUS, apply_error, form_status, wait_text
from glimpse.privacy import exports, selectors
from glimpse.privacy.deletion import account_deletion_request
from glimpse.privacy.models import DataExport


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    """Queue an archive of the viewer's data and go back to the settings."""
    try:
        export = exports.data_export_request(user=request_viewer(request))
    except RateLimited as error:
        messages.error(
            request,
            f"You asked for many archives today. Try again in {wait_text(error.retry_after)}.",
        )
        return redirect(reverse("accounts:settings") + "#data")
    if export.status in DataExport.PENDING:
        messages.info(request, "We are preparing your archive. It can take a few minutes.")
    return redirect(reverse("accounts:settings") + "#data")


@never_cache
@login_required
@require_safe
def export_panel(request: HttpRequest) -> HttpResponse:
    """Render the "Download your data" panel alone (the settings page polls it)."""
    context = selectors.data_export_panel(viewer=request_viewer(request))
    return render(request, "privacy/export_panel.html", context)


@never_cache
@require_safe
def export_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """Send the viewer's archive: only to its owner, only until it expires (then 410)."""
    viewer = request_viewer_or_none(request) or _bearer_viewer(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    try:
        export = selectors.data_export_for_download(viewer=viewer, token=token)
    except NotFound as error:
        raise Http404(error.message) from error
    except selectors.Gone as error:
        return HttpResponseGone(error.message, content_type="text/plain; charset=utf-8")
    try:
        default_storage.path(export.file_name)
    except NotImplementedError:
        # Object storage: a short-lived signed URL of the bucket serves the bytes.
        return redirect(default_storage.url(export.file_name))
    download_name = f"glimpse-{viewer.username}-{export.created_at:%Y-%m-%d}.zip"
    return FileResponse(
        default_storage.open(export.file_name, "rb"),
        as_attachment=True,
        filename=download_name,
        content_type="application/zip",
    )


@login_required
@sensitive_post_parameters("password")
@require_POST
def account_delete(request: HttpRequest) -> HttpResponse:
    """Schedule the account's deletion after checking its password, then end the session."""
    user = request_viewer(request)
    form = AccountDeleteForm(request.POST)
    if not form.is_valid():
        return _refused(request, form, INVALID_FORM_STATUS)
    try:
        due = account_deletion_request(user=user, password=form.cleaned_data["password"])
    except GlimpseError as error:
        apply_error(form, error)
        return _refused(request, form, form_status(error))
    logout(request)
    messages.info(
        request,
        f"@{user.username} is deactivated and will be deleted on {due:%B %-d, %Y}. "
        "Log in before then to keep your account.",
    )
    return redirect("home")


def _refused(request: HttpRequest, delete_form: AccountDeleteForm, status: int) -> HttpResponse:
    # The whole settings page again: its sections draw themselves, this one with the errors.
    return render(request, "accounts/settings.html", {"delete_form": delete_form}, status=status)


def _bearer_viewer(request: HttpRequest) -> User | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return BearerTokenAuth().authenticate(request, secret.strip())
