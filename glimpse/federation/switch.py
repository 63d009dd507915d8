"""Whether this server federates: where its address is https (behind a TLS proxy), or where
``GLIMPSE_FEDERATION`` says so (``1`` on, ``0`` off; plain http is then allowed for
loopback hosts only, for tests and trials on one machine). The rule lives in core, which the
client API reads too (nodeinfo says whether this server federates)."""

from __future__ import annotations

from glimpse.core.site import federation_enabled

__all__ = ["federation_enabled"]
