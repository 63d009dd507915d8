"""What every app's web pages share: reading a request and answering a refused form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from glimpse.core.errors import GlimpseError, RateLimited

# A form that fails its own shape checks is answered like the API answers bad input.
INVALID_FORM_STATUS = 422


def is_htmx(request: HttpRequest) -> bool:
    """Tell whether htmx made this request (it then wants a piece of the page)."""
    return request.headers.get("HX-Request") == "true"


def posted(request: HttpRequest) -> QueryDict | None:
    """Return the posted data to bind a form to, None when the request is not a POST."""
    # A POST binds the form even when empty, so that it reports its missing fields.
    return request.POST if request.method == "POST" else None


def safe_next(request: HttpRequest) -> str:
    """Return the ``next`` address of a request if it stays on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def form_status(error: GlimpseError) -> int:
    """Return the status of a page that shows a service's refusal on its form."""
    # 401 promises an Authorization challenge; a refused web form is a plain 400.
    return 400 if error.status == 401 else error.status


def wait_text(seconds: int) -> str:
    """Return a wait in words: "45 seconds", "1 minute", "3 minutes"."""
    minutes = -(-seconds // 60)
    if seconds < 60:
        return f"{seconds} seconds"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def apply_error(form: forms.Form, error: GlimpseError) -> None:
    """Show a service error on the form: field messages next to their fields, the rest on top."""
    placed = False
    for field, messages in error.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def form_error(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form: forms.Form,
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
