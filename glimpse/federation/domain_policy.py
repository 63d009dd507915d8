"""Every question about a server the moderators blocked, answered from one cached table.

A block of ``example.com`` covers ``example.com`` and every subdomain of it; when blocks of
a domain and of one of its subdomains both match, the more specific one rules (a server
silenced under a suspended parent is only silenced). Hosts are compared without their port
and letter case. The blocks are few and read on every inbox request, delivery and fetch, so
the whole table is one cached mapping, forgotten whenever a block changes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import orjson
from django.core.cache import cache
from django.db import transaction

from glimpse.federation.domain_blocks.models import DomainBlock, Severity

CACHE_KEY = "federation:domain-blocks"
CACHE_SECONDS = 3600  # a bound, should the table change behind the services' back
Rule = tuple[str, bool]  # severity, reject_media


def domain_suspended(host: str) -> bool:
    """Tell whether a host (or a domain above it) is suspended."""
    rule = _rule_for(host)
    return rule is not None and rule[0] == Severity.SUSPEND


def domain_silenced(host: str) -> bool:
    """Tell whether a host's accounts are kept out of public surfaces: silenced, or more
    (a suspended server's accounts are hidden altogether)."""
    return _rule_for(host) is not None


def media_rejected(host: str) -> bool:
    """Tell whether media files from a host are not to be fetched (``reject_media``, or the
    server suspended)."""
    rule = _rule_for(host)
    return rule is not None and (rule[1] or rule[0] == Severity.SUSPEND)


def url_suspended(url: str) -> bool:
    """Tell whether an address is on a suspended server."""
    try:
        return domain_suspended(urlsplit(url).hostname or "")
    except ValueError:
        return False


def activity_from_suspended(body: bytes) -> bool:
    """Tell whether a posted activity names an actor of a suspended server (read before
    its signature, so that nothing is fetched from such a server to check it)."""
    if not _blocks():
        return False
    try:
        activity = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    actor = activity.get("actor") if isinstance(activity, dict) else None
    if isinstance(actor, dict):
        actor = actor.get("id")
    return isinstance(actor, str) and url_suspended(actor)


def domain_policy_forget() -> None:
    """Forget the cached blocks now and once the transaction commits."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def host_of(host: str) -> str:
    """Return a host as the blocks name it: lowercase, no port, no trailing dot."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _rule_for(host: str) -> Rule | None:
    """Return the most specific block covering the host, or None."""
    blocks = _blocks()
    if not blocks or not host:
        return None
    labels = host_of(host).split(".")
    for start in range(len(labels)):
        rule = blocks.get(".".join(labels[start:]))
        if rule is not None:
            return rule
    return None


def _blocks() -> dict[str, Rule]:
    blocks: dict[str, Rule] | None = cache.get(CACHE_KEY)
    if blocks is None:
        rows = DomainBlock.objects.values_list("domain", "severity", "reject_media")
        blocks = {domain: (severity, reject) for domain, severity, reject in rows}
        cache.set(CACHE_KEY, blocks, CACHE_SECONDS)
    return blocks
