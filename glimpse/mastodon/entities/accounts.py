"""Mastodon's Account and Relationship, from Glimpse's account presenter and profile row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.templatetags.static import static

from glimpse.accounts.models import User
from glimpse.accounts.presenters import account_view_of
from glimpse.core.site import absolute_url
from glimpse.mastodon.content import account_url, text_html, timestamp

# What clients show when an account has no picture or header: Glimpse draws none.
DEFAULT_PICTURE = "icons/icon-192.png"


def account_entity(user: User, *, with_moved: bool = True) -> dict[str, Any]:
    """Return an account as Mastodon's Account.

    ``acct`` is the username: ``name`` for a local account, ``name@host`` for another
    server's, whose ``username`` is the name alone and whose ``url`` its page on its server.
    An account that moved carries the one it moved to as ``moved`` (one level deep).
    """
    view = account_view_of(user)
    url = user.remote_url or account_url(user.username)
    urls = view.avatar_urls or {}
    avatar = urls[max(urls, key=int)] if urls else absolute_url(static(DEFAULT_PICTURE))
    header = absolute_url(static(DEFAULT_PICTURE))
    entity = {
        "id": str(user.pk),
        "username": user.username.partition("@")[0],
        "acct": user.username,
        "display_name": user.display_name,
        "locked": user.is_private,
        "bot": False,
        "group": False,
        "discoverable": not user.is_private,
        "indexable": False,
        "noindex": False,
        "created_at": timestamp(user.date_joined),
        "note": text_html(user.bio),
        "url": url,
        "uri": url,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": user.follower_count,
        "following_count": user.following_count,
        "statuses_count": user.post_count,
        "last_status_at": None,
        "emojis": [],
        "fields": [],
    }
    moved_to = user.moved_to if with_moved and user.moved_to_id is not None else None
    if moved_to is not None and moved_to.is_active:
        entity["moved"] = account_entity(moved_to, with_moved=False)
    return entity


def credential_account_entity(user: User, *, follow_requests: int) -> dict[str, Any]:
    """Return the signed-in account with its ``source`` (what its settings hold)."""
    return {
        **account_entity(user),
        "source": {
            "note": user.bio,
            "fields": [],
            "privacy": "private" if user.is_private else "public",
            "sensitive": False,
            "language": None,
            "follow_requests_count": follow_requests,
        },
        "role": None,
    }


def relationship_entity(account_id: int, relation: Mapping[str, bool]) -> dict[str, Any]:
    """Return the viewer's relation to an account as Mastodon's Relationship."""
    return {
        "id": str(account_id),
        "following": relation["following"],
        "showing_reblogs": relation["following"],
        "notifying": False,
        "languages": None,
        "followed_by": relation["followed_by"],
        "blocking": relation["blocking"],
        # A block hides the pair from each other: the blocked account never learns of it.
        "blocked_by": False,
        "muting": relation["muting"],
        "muting_notifications": relation["muting"],
        "requested": relation["requested"],
        "requested_by": False,
        "domain_blocking": False,
        "endorsed": False,
        "note": "",
    }
