"""Accounts and posts of other servers found by a handle (``@name@host``) or an address,
asked of their own server, for the search page and both APIs.

Search sits below federation, which knows how to ask another server: federation registers
its finder here when it starts (``remote_finder_register``), as it must not be imported
from here. Only signed-in people look up, within ``GLIMPSE_RATE_REMOTE_LOOKUPS`` each; what
went wrong comes back as a sentence to show, never as an error, so that the local results
still show beside it. A post of this server pasted by its address is found here, without
asking anyone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import urlsplit

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.core.errors import RateLimited
from glimpse.core.ratelimit import rate_limit_hit
from glimpse.graph.visibility import accounts_visible_to
from glimpse.posts.presenters import PostView
from glimpse.posts.selectors import post_id_of_permalink
from glimpse.posts.shown import posts_shown

# name@host, the host with its port when it has one; a leading "@" is allowed.
_HANDLE = re.compile(r"@?([a-z0-9_.\-]+)@([a-z0-9.\-]+(?::[0-9]{1,5})?)")
NOT_A_POST_NOTICE = "That address is not a photo or video post Glimpse can show."

Kind = Literal["account", "post"]
ACCOUNTS: frozenset[Kind] = frozenset({"account"})
POSTS: frozenset[Kind] = frozenset({"post"})
EVERY_KIND: frozenset[Kind] = ACCOUNTS | POSTS


class RemoteLookupFailed(Exception):
    """The other server could not be reached, or has no such account or post: the message
    says which, in words for the person who searched."""


@dataclass(frozen=True)
class RemoteHit:
    """What the finder found: an account, or a post stored here (by id)."""

    account: User | None = None
    post_id: int | None = None


class RemoteFinder(Protocol):
    """Finds what a handle (``name@host``, lowercased) or an http(s) address names, of the
    ``kinds`` asked for, for the person searching; None when nothing may be asked
    (federation off). Raises ``RemoteLookupFailed``."""

    def __call__(self, target: str, *, viewer: User, kinds: frozenset[Kind]) -> RemoteHit | None:
        """Find it."""


_finder: list[RemoteFinder] = []
_available: list[Callable[[], bool]] = []


@dataclass(frozen=True)
class RemoteFound:
    """What a look-up found: an account or a post, or a notice saying why none (all empty
    when the query names nothing of another server, or nothing was asked)."""

    account: User | None = None
    post: PostView | None = None
    notice: str = ""


def remote_finder_register(finder: RemoteFinder, *, available: Callable[[], bool]) -> None:
    """Set how an account or a post of another server is found by its handle or address,
    and what tells whether it may be asked at all (federation on)."""
    _finder[:] = [finder]
    _available[:] = [available]


def remote_lookup_offered(
    *, viewer: User | None, q: str, kinds: frozenset[Kind] = ACCOUNTS
) -> str | None:
    """Return the handle or address of ``kinds`` the viewer could look up on its server,
    or None."""
    target = remote_target(q)
    if target is None or viewer is None or not _available or not _available[0]():
        return None
    if not _asks_for(target, kinds) or _local_post_id(target, kinds) is not None:
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


def remote_find(
    *, viewer: User | None, q: str, kinds: frozenset[Kind] = EVERY_KIND, resolve: bool = True
) -> RemoteFound:
    """Find the account or post (of ``kinds``) a handle or address names, as the viewer may
    see it; another server is asked only with ``resolve``.

    A post of this server named by its address is found without asking anyone.
    """
    target = remote_target(q)
    if target is None or not _asks_for(target, kinds):
        return RemoteFound()
    local = _local_post_id(target, kinds)
    if local is not None:
        return _post_found(viewer, local)
    if not resolve or not _finder or not _available[0]():
        return RemoteFound()
    what = _what(target, kinds)
    if viewer is None:
        return RemoteFound(notice=f"Log in to look up {what} of other servers.")
    limit, window = settings.GLIMPSE_RATE_REMOTE_LOOKUPS
    try:
        rate_limit_hit(scope="remote-lookup", identity=str(viewer.pk), limit=limit, window=window)
    except RateLimited as limited:
        minutes = math.ceil(limited.retry_after / 60)
        return RemoteFound(
            notice=f"You looked up many {what} of other servers. Try again in "
            f"{minutes} minute{'s' if minutes != 1 else ''}."
        )
    try:
        hit = _finder[0](target, viewer=viewer, kinds=kinds)
    except RemoteLookupFailed as failed:
        return RemoteFound(notice=str(failed))
    if hit is not None and hit.post_id is not None:
        return _post_found(viewer, hit.post_id)
    if hit is None or hit.account is None:
        return RemoteFound()
    # An account the viewer may not see answers like one that does not exist.
    visible = User.objects.filter(accounts_visible_to(viewer), pk=hit.account.pk).first()
    if visible is None:
        return RemoteFound(notice=missing_notice(target, kinds=kinds))
    return RemoteFound(account=visible)


def remote_account_find(*, viewer: User | None, q: str) -> RemoteFound:
    """Look up the account of another server a query names, as the viewer may see it."""
    return remote_find(viewer=viewer, q=q, kinds=ACCOUNTS)


def missing_notice(target: str, *, kinds: frozenset[Kind] = ACCOUNTS) -> str:
    """Return the notice for a handle or address that names nothing of ``kinds``."""
    if "://" not in target:
        name, _, host = target.partition("@")
        return f"No account named {name} on {host}."
    if "account" not in kinds:
        return NOT_A_POST_NOTICE
    if "post" not in kinds:
        return f"No account was found at {target}."
    return f"No account or post was found at {target}."


def accounts_found_first(found: RemoteFound, accounts: Sequence[User], limit: int) -> list[User]:
    """Return the account found (when any) first, then the others without it, ``limit`` in all."""
    if found.account is None:
        return list(accounts)
    first = found.account
    return [first, *(account for account in accounts if account.pk != first.pk)][:limit]


def posts_found_first(found: RemoteFound, posts: Sequence[PostView], limit: int) -> list[PostView]:
    """Return the post found (when any) first, then the others without it, ``limit`` in all."""
    if found.post is None:
        return list(posts)
    first = found.post
    return [first, *(post for post in posts if post.id != first.id)][:limit]


def _asks_for(target: str, kinds: frozenset[Kind]) -> bool:
    """Tell whether a target may name something of ``kinds``: a handle names an account
    only, an address either."""
    return bool(kinds) if "://" in target else "account" in kinds


def _local_post_id(target: str, kinds: frozenset[Kind]) -> int | None:
    """Return the id of the post of this site an address names, when posts are asked for."""
    if "post" not in kinds or "://" not in target:
        return None
    return post_id_of_permalink(url=target)


def _post_found(viewer: User | None, post_id: int) -> RemoteFound:
    """Return the post as the viewer sees it in lists; one they may not see is no post."""
    shown = posts_shown(viewer=viewer, post_ids=[post_id], listed=True)
    return RemoteFound(post=shown[0]) if shown else RemoteFound(notice=NOT_A_POST_NOTICE)


def _what(target: str, kinds: frozenset[Kind]) -> str:
    """Name what is looked up, for the notices: people, posts, or both."""
    if "://" not in target or "post" not in kinds:
        return "people"
    return "people and posts" if "account" in kinds else "posts"
