"""What open websockets do when an account's access changes (subscribed in
``RealtimeConfig``): close, or check their credentials again."""

from __future__ import annotations

from glimpse.core.events import (
    AccountBanned,
    AccountDeactivated,
    AccountSuspended,
    PasswordReset,
    TokensRevoked,
)
from glimpse.realtime import sockets


def account_deactivated(event: AccountBanned | AccountSuspended | AccountDeactivated) -> None:
    """Close every open socket of an account that turned inactive."""
    sockets.disconnect_account(event.account_id)


def tokens_revoked(event: TokensRevoked) -> None:
    """Close the sockets authenticated by revoked tokens."""
    sockets.tokens_revoked_on_commit(event.account_id, list(event.token_ids))


def password_reset(event: PasswordReset) -> None:
    """Make the account's sockets check their token or session again."""
    sockets.recheck_on_commit(event.account_id)
