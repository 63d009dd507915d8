"""Security headers Django does not send itself: the content security policy and friends.

Django's SecurityMiddleware already sends Referrer-Policy (``SECURE_REFERRER_POLICY``),
Cross-Origin-Opener-Policy (``SECURE_CROSS_ORIGIN_OPENER_POLICY``, same-origin by default),
``X-Content-Type-Options: nosniff`` and, in production, HSTS.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

from glimpse.core.middleware import API_PREFIX

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"


def page_policy(*, websocket_origins: list[str], media_origin: str) -> str:
    """Return the content security policy of a web page."""
    media = f" {media_origin}" if media_origin else ""
    socket = "".join(f" {origin}" for origin in websocket_origins)
    directives = [
        "default-src 'self'",
        f"img-src 'self' data: blob:{media}",
        f"media-src 'self' blob:{media}",
        "script-src 'self'",
        # No <style> element and no stylesheet from elsewhere. Style attributes are allowed:
        # templates set per-item values with them (an avatar's hue, a carousel's aspect
        # ratio, where a people tag sits), which no static stylesheet can know. A style
        # attribute cannot run script.
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        f"connect-src 'self'{socket}",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    """Add the content security policy and Permissions-Policy to every answer.

    An answer that brings its own policy (an uploaded file) keeps it. API answers get a
    policy that allows nothing; the API's HTML documentation page is a page like the others.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", _policy_for(request, response))
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def _policy_for(request: HttpRequest, response: HttpResponse) -> str:
    is_page = response.get("Content-Type", "").startswith("text/html")
    if request.path.startswith(API_PREFIX) and not is_page:
        return API_POLICY
    return page_policy(
        websocket_origins=_websocket_origins(request),
        media_origin=settings.GLIMPSE_MEDIA_ORIGIN.rstrip("/"),
    )


def _websocket_origins(request: HttpRequest) -> list[str]:
    """Return where live.js may connect: ws(s)://this host, and the configured socket URL."""
    origins = []
    try:
        host = request.get_host()
    except DisallowedHost:
        pass  # answered 400 already; 'self' alone is enough for an error page
    else:
        origins.append(f"{'wss' if request.is_secure() else 'ws'}://{host}")
    configured = urlsplit(settings.GLIMPSE_WEBSOCKET_URL)
    if configured.scheme and configured.netloc:
        origins.append(f"{configured.scheme}://{configured.netloc}")
    return origins
