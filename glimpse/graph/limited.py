"""The servers whose accounts stay out of public surfaces (``LimitedDomain``), from the cache.

They are few and change rarely, while every Explore, hashtag, place and search query asks:
the set is kept in the cache and forgotten whenever it changes, so that the policy adds no
filter at all (and no query) while no server is limited.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from glimpse.graph.models import LimitedDomain

CACHE_KEY = "graph:limited-domains"
CACHE_SECONDS = 3600  # a bound, should the table change behind the services' back


def limited_domains() -> frozenset[str]:
    """Return the limited domains (each covering its subdomains)."""
    domains: frozenset[str] | None = cache.get(CACHE_KEY)
    if domains is None:
        domains = frozenset(LimitedDomain.objects.values_list("domain", flat=True))
        cache.set(CACHE_KEY, domains, CACHE_SECONDS)
    return domains


def limited_domains_forget() -> None:
    """Forget the cached set now and once the transaction commits (a read in between would
    have cached the table as it was)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
