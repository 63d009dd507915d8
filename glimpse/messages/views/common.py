"""What the pages of direct messages share: calling services and selectors, cursors, and
showing a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from glimpse.core.errors import GlimpseError, NotFound, RateLimited
from glimpse.core.web import safe_next, wait_text

T = TypeVar("T")

INBOX_PAGE_SIZE = 20
MESSAGES_PAGE_SIZE = 30
SIDE_PAGE_SIZE = 20  # the conversations beside an open one, on a wide screen


def call(function: Callable[..., T], **kwargs: Any) -> T:
    """Call a service or selector; what the viewer may not see is the site's 404 page.

    Other refusals (GlimpseError) reach the view, which shows them.
    """
    try:
        return function(**kwargs)
    except NotFound as error:
        raise Http404(error.message) from error


def cursor(request: HttpRequest, name: str = "max_id") -> int | None:
    """Return an id cursor from the query string; a malformed one is a missing page."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**63:
        raise Http404("No such page.")
    return int(raw)


def refusal_text(error: GlimpseError) -> str:
    """Return what to tell the viewer of a service's refusal, with its field messages."""
    if isinstance(error, RateLimited):
        return f"{error.message} Try again in {wait_text(error.retry_after)}."
    details = [message for found in error.fields.values() for message in found]
    return " ".join(details) if details else error.message


def refused(request: HttpRequest, error: GlimpseError, *, to: str) -> HttpResponse:
    """Show a refusal on the next page (nothing was changed) and go back there."""
    messages.error(request, f"{refusal_text(error)} Nothing was changed.")
    return redirect(safe_next(request) or to)


def back(request: HttpRequest, *, to: str) -> HttpResponse:
    """Go back to the page a form came from (its ``next``), else to ``to``."""
    return redirect(safe_next(request) or to)
