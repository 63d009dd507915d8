"""Mastodon's notification types for Glimpse's kinds: what a client app is told happened.

Mastodon has no stories and no likes of comments; those kinds have no type here and are
left out of what the client API shows and pushes.
"""

from __future__ import annotations

from glimpse.notifications.models import Kind

TYPES: dict[str, str] = {
    Kind.LIKE: "favourite",
    Kind.COMMENT: "mention",  # a reply to the account's post, as Mastodon counts replies
    Kind.REPLY: "mention",
    Kind.MENTION: "mention",
    Kind.TAGGED: "mention",
    Kind.FOLLOW: "follow",
    Kind.FOLLOW_REQUEST: "follow_request",
}

# Every type an app may ask to have pushed (``alerts``), as Mastodon names them.
ALERTS = (
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "admin.sign_up",
    "admin.report",
)


def mastodon_type(kind: str) -> str | None:
    """Return the Mastodon type of a Glimpse notification kind, or None if it has none."""
    return TYPES.get(kind)
