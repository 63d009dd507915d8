"""What federation knows of moves: an account's aliases, the names it lists as its own
(``alsoKnownAs``), and how to show an account by its handle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.federation.actors import actor_id, local_host
from glimpse.federation.models import AccountAlias, RemoteActor

# As on Mastodon: an account that moved cannot move again for a month.
MOVE_COOLDOWN = timedelta(days=30)


@dataclass(frozen=True)
class MoveState:
    """Where a local account stands on moving: what to list on a new account, and its move."""

    handle: str  # this account's handle, which the new account lists as an alias
    actor_id: str
    moved_to: User | None
    moved_at: datetime | None
    next_move_at: datetime | None  # when it may move again, after a move

    @property
    def may_move(self) -> bool:
        """Tell whether the account may move now (no move within the cooldown)."""
        return self.next_move_at is None or self.next_move_at <= timezone.now()


def aliases_of(*, user: User) -> list[AccountAlias]:
    """Return the accounts a local account moved from, oldest first."""
    return list(AccountAlias.objects.filter(user=user).select_related("account").order_by("id"))


def also_known_as(*, account: User) -> set[str]:
    """Return the actor ids an account says it also is: a local one's aliases, another
    server's ``alsoKnownAs`` as its last document gave it."""
    if not account.is_remote:
        return set(AccountAlias.objects.filter(user=account).values_list("uri", flat=True))
    raw = RemoteActor.objects.filter(user=account).values_list("raw", flat=True).first()
    listed: Any = raw.get("alsoKnownAs") if isinstance(raw, dict) else None
    if isinstance(listed, str):
        listed = [listed]
    return {uri for uri in listed or [] if isinstance(uri, str)}


def handle_of(account: User) -> str:
    """Return an account's handle as other servers write it: ``@name@host``."""
    if account.is_remote:
        return f"@{account.username}"
    return f"@{account.username}@{local_host()}"


def move_state(*, user: User) -> MoveState:
    """Return where a local account stands on moving."""
    moved_to = User.objects.filter(pk=user.moved_to_id).first() if user.moved_to_id else None
    return MoveState(
        handle=handle_of(user),
        actor_id=actor_id(user.username),
        moved_to=moved_to,
        moved_at=user.moved_at,
        next_move_at=user.moved_at + MOVE_COOLDOWN if user.moved_at else None,
    )
