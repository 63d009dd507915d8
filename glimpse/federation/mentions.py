"""The actors that mentions name: a local account's address, another server's account's id.

A caption or comment names accounts by their Glimpse username; in ActivityPub a ``Mention``
names the actor's id (``href``) and its handle ``@name@host``. An account of another
server is ``name@host`` already, and its id is the one its ``RemoteActor`` keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from glimpse.accounts.presenters import AccountView
from glimpse.core.site import site_url
from glimpse.federation.actors import actor_id
from glimpse.federation.models import RemoteActor


def mention_uris(accounts: Iterable[AccountView]) -> dict[int, str]:
    """Return the actor id of each account, by account id (one query for remote ones).

    A remote account without a ``RemoteActor`` row (none should exist) is left out.
    """
    accounts = list(accounts)
    remote = [account.id for account in accounts if is_remote_name(account.username)]
    found: dict[int, str] = {}
    if remote:
        rows = RemoteActor.objects.filter(user_id__in=remote).values_list("user_id", "uri")
        found = dict(rows)
    uris: dict[int, str] = {}
    for account in accounts:
        if not is_remote_name(account.username):
            uris[account.id] = actor_id(account.username)
        elif account.id in found:
            uris[account.id] = found[account.id]
    return uris


def handle_of(username: str) -> str:
    """Return the ``@name@host`` handle of an account, local or of another server."""
    if is_remote_name(username):
        return f"@{username}"
    return f"@{username}@{urlsplit(site_url()).netloc}"


def is_remote_name(username: str) -> bool:
    """Tell whether a username is another server's account's (``name@host``)."""
    return "@" in username
