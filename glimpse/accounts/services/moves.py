"""An account that moved to another: recording the move, and what it may no longer do.

Federation decides when an account moved (its owner moved it, or its server said so) and
moves its followers; accounts keeps the fact, so that every app can read it from the row.
"""

from __future__ import annotations

from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import PermissionDenied
from glimpse.core.event_bus import publish
from glimpse.core.events import AccountUpdated


def account_move_record(*, user: User, target: User) -> bool:
    """Record that an account moved to ``target``; tell whether anything changed."""
    if user.pk == target.pk:
        raise ValueError("an account cannot move to itself")
    if user.moved_to_id == target.pk:
        return False
    user.moved_to = target
    user.moved_at = timezone.now()
    user.save(update_fields=["moved_to", "moved_at"])
    # Its profile now says where it went (``movedTo`` for other servers).
    publish(AccountUpdated(account_id=user.pk))
    return True


def account_publish_check(*, user: User) -> None:
    """Refuse new posts, stories and comments from a local account that moved away."""
    # Another server's account is its server's business: what it sends is taken as sent.
    if user.moved_to_id is None or user.is_remote:
        return
    target = User.objects.filter(pk=user.moved_to_id).values_list("username", flat=True).first()
    where = f" to {target}" if target else ""
    raise PermissionDenied(
        f"This account has moved{where}. Post from your new account instead.", code="moved"
    )
