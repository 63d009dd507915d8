"""The health of other servers as delivery sees it: failures in a row, down, probed, up.

The rule: a server whose deliveries failed ``GLIMPSE_FEDERATION_DOWN_FAILURES`` times in a
row (timeouts, refused connections, 5xx, 408, 429), the first and last of them at least
``GLIMPSE_FEDERATION_DOWN_AFTER`` seconds apart, is down. Deliveries to a down server are
not attempted: they wait for the next probe. Once every ``GLIMPSE_FEDERATION_PROBE_INTERVAL``
seconds, one delivery that comes due gets through as the probe. Any answer that is not a
failure of the server's own (a 2xx, or a 4xx: the server is there, it refused) brings it
back up, and its waiting deliveries are sent at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from glimpse.federation.models import RemoteServer


def server_gate(*, domain: str, now: datetime) -> datetime | None:
    """Return when a delivery to ``domain`` may be tried, or None to try it now (the server
    is up, or this delivery is the probe). Call inside a transaction."""
    if not RemoteServer.objects.filter(domain=domain, down_since__isnull=False).exists():
        return None  # the common case reads one index and locks nothing
    server = RemoteServer.objects.select_for_update().filter(domain=domain).first()
    if server is None or server.down_since is None:
        return None
    if server.next_probe_at is not None and server.next_probe_at > now:
        return server.next_probe_at
    server.next_probe_at = now + _probe_interval()
    server.save(update_fields=["next_probe_at"])
    return None


def server_reached(*, domain: str, now: datetime, success: bool) -> bool:
    """Note that ``domain`` answered (with a success when ``success``); return whether it
    was down until now. Call inside a transaction."""
    server, _ = RemoteServer.objects.select_for_update().get_or_create(domain=domain)
    was_down = server.down_since is not None
    server.failures_in_a_row = 0
    server.first_failure_at = None
    server.down_since = None
    server.next_probe_at = None
    if success:
        server.last_success_at = now
    server.save()
    return was_down


def server_failed(*, domain: str, now: datetime) -> bool:
    """Count a failure of ``domain`` in a row; return whether it is down now. Call inside a
    transaction."""
    server, _ = RemoteServer.objects.select_for_update().get_or_create(domain=domain)
    server.failures_in_a_row += 1
    if server.first_failure_at is None:
        server.first_failure_at = now
    failures: int = settings.GLIMPSE_FEDERATION_DOWN_FAILURES
    after = timedelta(seconds=settings.GLIMPSE_FEDERATION_DOWN_AFTER)
    if (
        server.down_since is None
        and server.failures_in_a_row >= failures
        and now - server.first_failure_at >= after
    ):
        server.down_since = now
        server.next_probe_at = now + _probe_interval()
    server.save()
    return server.down_since is not None


def _probe_interval() -> timedelta:
    return timedelta(seconds=settings.GLIMPSE_FEDERATION_PROBE_INTERVAL)
