"""What every page's template may need from the settings."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """Give templates ``websocket_url``: where live.js connects (empty: this page's host)."""
    return {"websocket_url": settings.GLIMPSE_WEBSOCKET_URL}
