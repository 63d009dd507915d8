"""What the graph does when an account changes (subscribed in ``GraphConfig``)."""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.core.events import AccountMadePublic
from glimpse.graph import services


def account_made_public(event: AccountMadePublic) -> None:
    """Approve the requests pending for an account that went public (and still is)."""
    owner = User.objects.filter(pk=event.account_id, is_private=False).first()
    if owner is not None:
        services.follow_requests_approve_all(owner=owner)
