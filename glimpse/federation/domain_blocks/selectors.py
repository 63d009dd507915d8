"""Reads of instance moderation, for moderators: the blocks, and what a block reaches."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound, PermissionDenied
from glimpse.federation.domain_blocks.models import DomainBlock
from glimpse.graph.domain_names import domain_clean
from glimpse.moderation.roles import is_moderator

MISSING_BLOCK = "No domain block with this id."


@dataclass(frozen=True)
class Reach:
    """What blocking a domain touches: its known accounts, and their follows here."""

    accounts: int
    followers: int  # follows of its accounts by accounts here
    following: int  # follows by its accounts of accounts here


def domain_blocks_list(*, viewer: User) -> QuerySet[DomainBlock]:
    """Return every domain block, by domain (moderators only)."""
    _moderator_check(viewer)
    return DomainBlock.objects.select_related("created_by").order_by("domain")


def domain_block_get(*, viewer: User, block_id: int) -> DomainBlock:
    """Return one domain block (moderators only), or raise NotFound."""
    _moderator_check(viewer)
    block = DomainBlock.objects.select_related("created_by").filter(pk=block_id).first()
    if block is None:
        raise NotFound(MISSING_BLOCK)
    return block


def domain_reach(*, viewer: User, domain: str) -> Reach:
    """Count the accounts of a domain (subdomains included) and their follows (moderators
    only); a suspension hides those accounts and ends those follows."""
    _moderator_check(viewer)
    host = domain_clean(domain)
    accounts = User.objects.filter(Q(domain=host) | Q(domain__endswith=f".{host}"))
    totals = accounts.aggregate(
        n=Sum(1), followers=Sum("follower_count"), following=Sum("following_count")
    )
    return Reach(
        accounts=totals["n"] or 0,
        followers=totals["followers"] or 0,
        following=totals["following"] or 0,
    )


def _moderator_check(viewer: User) -> None:
    if not is_moderator(viewer):
        raise PermissionDenied("Only moderators can see domain blocks.", code="not_moderator")
