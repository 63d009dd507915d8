"""Reads of an account's own domain blocks."""

from __future__ import annotations

from django.db.models import QuerySet

from glimpse.accounts.models import User
from glimpse.graph.models import AccountDomainBlock


def account_domain_blocks_list(*, owner: User) -> QuerySet[AccountDomainBlock]:
    """Return the servers the owner blocked, newest first."""
    return AccountDomainBlock.objects.filter(owner=owner).order_by("-id")
