"""The servers an account blocked, as Mastodon's clients manage them: a list of domain names,
and blocking or unblocking one by name (``domain``, in the query, a form or JSON)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from glimpse.core.pagination import paginate
from glimpse.graph import domain_selectors, domain_services
from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.pagination import PageQuery, page_response
from glimpse.mastodon.params import request_fields

router = Router(tags=["accounts"])


@router.get("/domain_blocks", auth=TokenAuth("read:blocks"))
def domain_blocks(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    """Return the domains the viewer blocked, the latest first."""
    rows = domain_selectors.account_domain_blocks_list(owner=request_account(request))
    found = paginate(rows, **page.window())
    return page_response(request, [row.domain for row in found.items], [r.pk for r in found.items])


@router.post("/domain_blocks", auth=TokenAuth("write:blocks"))
def domain_block(request: HttpRequest) -> dict[str, Any]:
    """Block every account of a domain; answer an empty object."""
    domain = _domain(request)
    domain_services.account_domain_block_create(owner=request_account(request), domain=domain)
    return {}


@router.delete("/domain_blocks", auth=TokenAuth("write:blocks"))
def domain_unblock(request: HttpRequest) -> dict[str, Any]:
    """Unblock a domain; answer an empty object."""
    domain = _domain(request)
    domain_services.account_domain_block_delete(owner=request_account(request), domain=domain)
    return {}


def _domain(request: HttpRequest) -> str:
    value = request_fields(request).get("domain")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")
