"""An account's own domain blocks in the API: list, block and unblock a whole server."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from django.http import HttpRequest
from ninja import Router, Schema, Status

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.core.pagination import PageJson, cursor_json, paginate
from glimpse.graph import domain_selectors, domain_services
from glimpse.graph.models import AccountDomainBlock

router = Router(tags=["social graph"])


class DomainBlockIn(Schema):
    domain: str


class DomainBlockOut(Schema):
    domain: str
    created_at: datetime


class DomainBlockListOut(Schema):
    items: list[DomainBlockOut]
    next_max_id: str | None


class DomainBlockJson(TypedDict):
    domain: str
    created_at: datetime


@router.get(
    "/accounts/me/blocked-domains",
    auth=api_auth,
    response={200: DomainBlockListOut, **errors(401, 422)},
)
def blocked_domains(
    request: HttpRequest, max_id: int | None = None, limit: int | None = None
) -> PageJson[DomainBlockJson]:
    """The servers the viewer blocked, most recent first."""
    owner = request_user(request)
    page = paginate(
        domain_selectors.account_domain_blocks_list(owner=owner), max_id=max_id, limit=limit
    )
    return {
        "items": [_json(row) for row in page.items],
        "next_max_id": cursor_json(page.next_max_id),
    }


@router.post(
    "/accounts/me/blocked-domains",
    auth=api_auth,
    response={200: DomainBlockOut, **errors(401, 422)},
)
def block_domain(request: HttpRequest, body: DomainBlockIn) -> DomainBlockJson:
    """Block every account of a server: follows both ways end, and none of its accounts
    sees the viewer or is seen by it. Twice changes nothing."""
    owner = request_user(request)
    domain = domain_services.account_domain_block_create(owner=owner, domain=body.domain)
    row = domain_selectors.account_domain_blocks_list(owner=owner).get(domain=domain)
    return _json(row)


@router.delete(
    "/accounts/me/blocked-domains/{domain}",
    auth=api_auth,
    response={204: None, **errors(401, 422)},
)
def unblock_domain(request: HttpRequest, domain: str) -> Status[None]:
    """Unblock a server (the follows the block ended stay ended); not blocked is fine."""
    domain_services.account_domain_block_delete(owner=request_user(request), domain=domain)
    return Status(204, None)


def _json(row: AccountDomainBlock) -> DomainBlockJson:
    return {"domain": row.domain, "created_at": row.created_at}
