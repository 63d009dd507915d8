"""The site's own address, for the absolute links of shared posts and emails.

``GLIMPSE_SITE_URL`` names it when set (production behind a proxy, or a fixed public name).
Unset, links use the address the current request reached the site at (scheme and host, the
port included), so ``PORT=8100 make run`` links to ``:8100``: ``SiteUrlMiddleware`` keeps the
request in a context variable for its duration. The host is Django's validated one
(``ALLOWED_HOSTS``), so a forged ``Host`` header cannot put another site in a reset email.
Outside a request (a job in a worker, a websocket), with no setting, links stay relative.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_REQUEST: ContextVar[HttpRequest | None] = ContextVar("glimpse_site_request", default=None)


class SiteUrlMiddleware:
    """Keep the current request at hand for ``site_url()`` while it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _REQUEST.set(request)
        try:
            return self.get_response(request)
        finally:
            _REQUEST.reset(token)


def site_url() -> str:
    """Return the site's address without a trailing slash, or "" when none is known."""
    configured: str = settings.GLIMPSE_SITE_URL
    if configured:
        return configured.rstrip("/")
    request = _REQUEST.get()
    if request is None:
        return ""
    # Validated once a request: a page of twenty posts asks twenty times.
    known: str | None = getattr(request, "_glimpse_site_url", None)
    if known is None:
        known = f"{request.scheme}://{request.get_host()}"
        request._glimpse_site_url = known  # type: ignore[attr-defined]
    return known


def absolute_url(path: str) -> str:
    """Return a site path (``/p/1/``) as an absolute link, relative when no address is known."""
    return site_url() + path


def federation_enabled() -> bool:
    """Tell whether this server speaks ActivityPub to other servers: where its address is
    https (behind a TLS proxy), or as ``GLIMPSE_FEDERATION`` forces."""
    forced: bool | None = settings.GLIMPSE_FEDERATION
    if forced is not None:
        return forced
    site: str = settings.GLIMPSE_SITE_URL
    return site.startswith("https://")
