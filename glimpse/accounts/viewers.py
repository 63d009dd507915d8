"""Who is asking: the signed-in account behind a request, or nobody."""

from __future__ import annotations

from glimpse.accounts.models import User


def viewer_or_none(user: object) -> User | None:
    """Return the account of a signed-in caller, or None for anonymous ones."""
    return (
        user if isinstance(user, User) and user.pk is not None and user.is_authenticated else None
    )
