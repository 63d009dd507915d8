"""Whether this server federates: where its address is https (behind a TLS proxy), or where
``GLIMPSE_FEDERATION`` says so (``1`` on, ``0`` off; plain http is then allowed for
loopback hosts only, for tests and trials on one machine)."""

from __future__ import annotations

from django.conf import settings


def federation_enabled() -> bool:
    """Tell whether this server speaks ActivityPub to other servers."""
    forced: bool | None = settings.GLIMPSE_FEDERATION
    if forced is not None:
        return forced
    site: str = settings.GLIMPSE_SITE_URL
    return site.startswith("https://")
