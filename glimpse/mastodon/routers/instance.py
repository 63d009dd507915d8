"""``/api/v1/instance`` and ``/api/v2/instance``: what this server is, and its limits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.graph.selectors import accounts_active_counts, known_domains
from glimpse.mastodon.auth import TokenAuth
from glimpse.mastodon.entities.instance import host_of, instance_v1, instance_v2
from glimpse.posts.selectors import posts_live_count

# Anyone may ask, before signing in; a token sent is checked all the same.
ANYONE = TokenAuth(optional=True)

router = Router(tags=["instance"])
router_v2 = Router(tags=["instance"])


@router.get("/instance", auth=ANYONE)
def instance(request: HttpRequest) -> dict[str, Any]:
    """Return the server's description, counts and limits (Mastodon's older entity)."""
    users = accounts_active_counts(days=())["total"]
    host = host_of(request.get_host())
    return instance_v1(
        host=host, users=users, posts=posts_live_count(), domains=len(known_domains())
    )


@router.get("/instance/peers", auth=ANYONE)
def peers(request: HttpRequest) -> list[str]:
    """Return the other servers this one knows an account of."""
    return known_domains()


@router.get("/instance/rules", auth=ANYONE)
def rules(request: HttpRequest) -> list[dict[str, str]]:
    """Return the server's rules: none are written as a list."""
    return []


@router_v2.get("/instance", auth=ANYONE)
def instance_current(request: HttpRequest) -> dict[str, Any]:
    """Return the server's description, configuration and limits."""
    active = accounts_active_counts(days=(30,))["days_30"]
    return instance_v2(host=host_of(request.get_host()), users_month=active)
