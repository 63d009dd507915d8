"""The account settings page: password, API tokens, authorised apps, and the sections other
apps add."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from glimpse.accounts import services
from glimpse.accounts.forms import PasswordChangeForm, TokenCreateForm
from glimpse.accounts.models import ApiToken
from glimpse.accounts.oauth import services as oauth_services
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, NotFound, RateLimited
from glimpse.core.web import INVALID_FORM_STATUS, apply_error, form_status


@login_required
@require_safe
def settings_view(request: HttpRequest) -> HttpResponse:
    """Show the account settings: password, API tokens, apps, your data, deletion."""
    return _settings_page(request)


@login_required
@sensitive_post_parameters("current_password", "new_password", "new_password_again")
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    """Change the password and stay logged in on this browser."""
    user = request_viewer(request)
    form = PasswordChangeForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, password_form=form, status=INVALID_FORM_STATUS)
    try:
        services.password_change(
            user=user,
            current_password=form.cleaned_data["current_password"],
            new_password=form.cleaned_data["new_password"],
        )
    except GlimpseError as error:
        apply_error(form, error)
        return _settings_page(request, password_form=form, status=form_status(error))
    update_session_auth_hash(request, user)
    messages.success(request, "Your password is changed. Your API tokens were revoked.")
    return redirect("accounts:settings")


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a named API token and show its secret, this once."""
    user = request_viewer(request)
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, token_form=form, status=INVALID_FORM_STATUS)
    try:
        token, secret = services.token_create(user=user, name=form.cleaned_data["name"])
    except GlimpseError as error:
        apply_error(form, error)
        response = _settings_page(request, token_form=form, status=form_status(error))
        if isinstance(error, RateLimited):
            response["Retry-After"] = str(error.retry_after)
        return response
    # Rendered, not redirected: the secret is never stored anywhere in clear, not even
    # in the session, so this answer is the only place it appears.
    return _settings_page(request, new_token=token, new_secret=secret)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the viewer's API tokens."""
    try:
        services.token_revoke(user=request_viewer(request), token_id=token_id)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, "The token is revoked.")
    return redirect("accounts:settings")


@login_required
@require_POST
def authorised_app_revoke(request: HttpRequest, application_id: int) -> HttpResponse:
    """Take back an app's access to the viewer's account."""
    try:
        oauth_services.authorised_app_revoke(
            user=request_viewer(request), application_id=application_id
        )
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, "The app can no longer use your account.")
    return redirect("accounts:settings")


def _settings_page(
    request: HttpRequest,
    *,
    password_form: PasswordChangeForm | None = None,
    token_form: TokenCreateForm | None = None,
    new_token: ApiToken | None = None,
    new_secret: str | None = None,
    status: int = 200,
) -> HttpResponse:
    # Each section draws itself (templatetags/account_settings.py and the other apps' tags);
    # the page only hands over what this answer bound or made.
    context = {
        "password_form": password_form,
        "token_form": token_form,
        "new_token": new_token,
        "new_secret": new_secret,
    }
    response = render(request, "accounts/settings.html", context, status=status)
    if new_secret:
        # Keep the one-time secret out of every cache, shared or private.
        response["Cache-Control"] = "no-store"
    return response
