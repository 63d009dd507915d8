"""Accounts of other servers found by their handle (``@name@host``) or their address, asked of
their own server, for the search page and both APIs.

Search sits below federation, which knows how to ask another server: federation registers
its finder here when it starts (``remote_finder_register``), as it must not be imported
from here. Only signed-in people look up, within ``GLIMPSE_RATE_REMOTE_LOOKUPS`` each; what
went wrong comes back as a sentence to show, never as an error, so that the local results
still show beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.core.errors import RateLimited
from glimpse.core.ratelimit import rate_limit_hit
from glimpse.graph.visibility import accounts_visible_to

# name@host, the host with its port when it has one; a leading "@" is allowed.
_HANDLE = re.compile(r"@?([a-z0-9_.\-]+)@([a-z0-9.\-]+(?::[0-9]{1,5})?)")
LOG_IN_NOTICE = "Log in to look up people of other servers."


class RemoteLookupFailed(Exception):
    """The other server could not be reached, or has no such account: the message says which,
    in words for the person who searched."""


# Takes a handle (name@host, lowercased) or an http(s) address; returns the account, or None
# when nothing may be asked (federation off). Raises RemoteLookupFailed.
RemoteFinder = Callable[[str], User | None]
_finder: list[RemoteFinder] = []
_available: list[Callable[[], bool]] = []


@dataclass(frozen=True)
class RemoteFound:
    """What a look-up found: the account, or a notice saying why none (both empty when the
    query names no account of another server, or nothing was asked)."""

    account: User | None = None
    notice: str = ""


def remote_finder_register(finder: RemoteFinder, *, available: Callable[[], bool]) -> None:
    """Set how an account of another server is found by its handle or address, and what
    tells whether it may be asked at all (federation on)."""
    _finder[:] = [finder]
    _available[:] = [available]


def remote_lookup_offered(*, viewer: User | None, q: str) -> str | None:
    """Return the handle or address the viewer could look up on its server, or None."""
    target = remote_target(q)
    if target is None or viewer is None or not _available or not _available[0]():
        return None
    return target


def remote_target(q: str) -> str | None:
    """Return the handle (``name@host``) or address a query names, or None for other words."""
    text = q.strip()
    if text.lower().startswith(("https://", "http://")):
        parts = urlsplit(text)
        return text if parts.hostname and not any(c.isspace() for c in text) else None
    match = _HANDLE.fullmatch(text.lower())
    return f"{match[1]}@{match[2]}" if match else None


def remote_account_find(*, viewer: User | None, q: str) -> RemoteFound:
    """Look up the account of another server a query names, as the viewer may see it."""
    target = remote_target(q)
    if target is None or not _finder or not _available[0]():
        return RemoteFound()
    if viewer is None:
        return RemoteFound(notice=LOG_IN_NOTICE)
    limit, window = settings.GLIMPSE_RATE_REMOTE_LOOKUPS
    try:
        rate_limit_hit(scope="remote-lookup", identity=str(viewer.pk), limit=limit, window=window)
    except RateLimited as limited:
        minutes = math.ceil(limited.retry_after / 60)
        return RemoteFound(
            notice=f"You looked up many people of other servers. Try again in "
            f"{minutes} minute{'s' if minutes != 1 else ''}."
        )
    try:
        account = _finder[0](target)
    except RemoteLookupFailed as failed:
        return RemoteFound(notice=str(failed))
    if account is None:
        return RemoteFound()
    # An account the viewer may not see answers like one that does not exist.
    visible = User.objects.filter(accounts_visible_to(viewer), pk=account.pk).first()
    if visible is None:
        return RemoteFound(notice=missing_notice(target))
    return RemoteFound(account=visible)


def missing_notice(target: str) -> str:
    """Return the notice for a handle or address that names no account."""
    if "://" in target:
        return f"No account was found at {target}."
    name, _, host = target.partition("@")
    return f"No account named {name} on {host}."


def accounts_found_first(found: RemoteFound, accounts: Sequence[User], limit: int) -> list[User]:
    """Return the account found (when any) first, then the others without it, ``limit`` in all."""
    if found.account is None:
        return list(accounts)
    first = found.account
    return [first, *(account for account in accounts if account.pk != first.pk)][:limit]
