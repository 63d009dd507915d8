"""What the account pages share: the viewer and form errors."""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from glimpse.accounts.forms import (
    apply_error,
)
from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError, RateLimited

# A form that fails its own shape checks is answered like the API answers bad input.
INVALID_FORM_STATUS = 422


def posted(request: HttpRequest) -> QueryDict | None:
    # A POST binds the form even when empty, so that it reports its missing fields.
    return request.POST if request.method == "POST" else None


def viewer_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def viewer_or_none(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def form_status(error: GlimpseError) -> int:
    # 401 promises an Authorization challenge; a refused web form is a plain 400.
    return 400 if error.status == 401 else error.status


def wait_text(seconds: int) -> str:
    minutes = -(-seconds // 60)
    if seconds < 60:
        return f"{seconds} seconds"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def form_error(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form: Form,
    error: GlimpseError,
) -> HttpResponse:
    """Render the form again with the service's error on it."""
    if isinstance(error, RateLimited):
        form.add_error(None, f"Too many attempts. Try again in {wait_text(error.retry_after)}.")
    else:
        apply_error(form, error)
    response = render(request, template, context, status=form_status(error))
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response
