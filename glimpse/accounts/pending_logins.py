"""A log-in waiting for its second factor, kept in the server-side session.

The password step puts the account here instead of logging the session in. The entry lasts
``GLIMPSE_TWO_FACTOR_PENDING_SECONDS`` and allows ``GLIMPSE_TWO_FACTOR_PENDING_ATTEMPTS``
wrong codes; after either, the person starts again from the password.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from glimpse.accounts.models import User
from glimpse.core import clock

SESSION_KEY = "_glimpse_two_factor_pending"


@dataclass(frozen=True)
class PendingLogin:
    """The account that gave its password, where it goes next, and its passkey challenge."""

    user: User
    next_url: str
    challenge: bytes | None


def pending_start(session: SessionBase, *, user: User, next_url: str) -> None:
    """Remember that this account gave the right password and now owes a second factor."""
    # A new key: whatever the session held before the password is not carried past it.
    session.cycle_key()
    session[SESSION_KEY] = {
        "user": user.pk,
        "next": next_url,
        "expires": clock.now() + settings.GLIMPSE_TWO_FACTOR_PENDING_SECONDS,
        "attempts": 0,
    }


def pending_get(session: SessionBase) -> PendingLogin | None:
    """Return the pending log-in of this session, or None (none, expired, or account gone)."""
    entry: dict[str, Any] | None = session.get(SESSION_KEY)
    if entry is None:
        return None
    if entry["expires"] < clock.now():
        pending_clear(session)
        return None
    user = User.objects.filter(pk=entry["user"]).first()
    if user is None:
        pending_clear(session)
        return None
    raw = entry.get("challenge")
    challenge = base64.b64decode(raw) if raw else None
    return PendingLogin(user=user, next_url=entry["next"], challenge=challenge)


def pending_next(session: SessionBase) -> str | None:
    """Return where the pending log-in goes next, expired or not; None when there is none."""
    entry = session.get(SESSION_KEY)
    return None if entry is None else str(entry["next"])


def pending_challenge_set(session: SessionBase, challenge: bytes) -> None:
    """Keep the passkey challenge sent to this pending log-in's browser."""
    entry = session.get(SESSION_KEY)
    if entry is not None:
        entry["challenge"] = base64.b64encode(challenge).decode()
        session.modified = True


def pending_failed(session: SessionBase) -> bool:
    """Count a wrong code; tell whether the tries are used up (the entry is then dropped)."""
    entry = session.get(SESSION_KEY)
    if entry is None:
        return True
    entry["attempts"] += 1
    entry.pop("challenge", None)
    session.modified = True
    if entry["attempts"] >= settings.GLIMPSE_TWO_FACTOR_PENDING_ATTEMPTS:
        pending_clear(session)
        return True
    return False


def pending_clear(session: SessionBase) -> None:
    """Forget the pending log-in."""
    session.pop(SESSION_KEY, None)
