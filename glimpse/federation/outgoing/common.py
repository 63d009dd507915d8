"""What every sender asks first: is federation on, and is the acting account this server's."""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.federation.switch import federation_enabled


def local_account(account_id: int) -> User | None:
    """Return the account if it is this server's and federation is on, else None.

    An account of another server did what the event tells on its own server, which sent
    the activity itself: nothing goes back out for it.
    """
    if not federation_enabled():
        return None
    user = User.objects.filter(pk=account_id).first()
    if user is None or user.is_remote:
        return None
    return user
