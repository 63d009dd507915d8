"""The scopes an app may ask for, what each means in plain words, and which covers which.

The names and their hierarchy are Mastodon's, so that existing phone apps ask for what they
already know: ``read`` covers every ``read:*``, ``write`` every ``write:*``, ``follow`` the
relationship scopes, and ``profile`` only lets an app learn who signed in.
"""

from __future__ import annotations

from collections.abc import Iterable

from glimpse.core.errors import InvalidInput

READ = "read"
WRITE = "write"
FOLLOW = "follow"
PUSH = "push"
PROFILE = "profile"

# Each granular scope and what it lets an app do, as the consent page says it.
_GRANULAR: dict[str, str] = {
    "read:accounts": "see profiles and your account's details",
    "read:blocks": "see the accounts you block",
    "read:bookmarks": "see the posts you saved",
    "read:favourites": "see the posts you liked",
    "read:filters": "see your filters",
    "read:follows": "see whom you follow and who asks to follow you",
    "read:lists": "see your lists",
    "read:mutes": "see the accounts you mute",
    "read:notifications": "see your notifications",
    "read:search": "search as you",
    "read:statuses": "see posts, your feed and comments",
    "write:accounts": "change your profile and settings",
    "write:blocks": "block and unblock accounts",
    "write:bookmarks": "save and unsave posts",
    "write:conversations": "hide and mark your conversations",
    "write:favourites": "like and unlike posts",
    "write:filters": "change your filters",
    "write:follows": "follow and unfollow accounts, answer follow requests",
    "write:lists": "change your lists",
    "write:media": "upload photos and videos",
    "write:mutes": "mute and unmute accounts",
    "write:notifications": "clear your notifications",
    "write:reports": "report accounts and posts",
    "write:statuses": "post, comment and delete your posts",
}

_TOP: dict[str, str] = {
    READ: "see everything of your account: posts, feed, profile, followers, notifications",
    WRITE: "act as you: post, comment, like, save, upload, change your profile",
    FOLLOW: "see and change whom you follow, block and mute",
    PUSH: "send you push notifications",
    PROFILE: "know who you are: your username and profile",
}

_FOLLOW_COVERS = frozenset(
    {
        "read:follows",
        "read:blocks",
        "read:mutes",
        "write:follows",
        "write:blocks",
        "write:mutes",
    }
)

# Every scope, top-level ones first, in the order the consent page lists them.
SCOPES: dict[str, str] = {**_TOP, **_GRANULAR}
DEFAULT_SCOPES = (READ,)
# A personal API token (``glp_...``) acts fully as its account.
ALL_SCOPES = frozenset(SCOPES)


def scopes_parse(text: str | Iterable[str], *, field: str = "scopes") -> tuple[str, ...]:
    """Return the scopes named in a space-separated string (or a list), in order, once each.

    An empty value means the default (``read``); an unknown scope is a 422 naming it.
    """
    words = text.split() if isinstance(text, str) else [w for item in text for w in item.split()]
    unknown = sorted({word for word in words if word not in SCOPES})
    if unknown:
        raise InvalidInput(
            f"Unknown scope: {', '.join(unknown)}.",
            fields={field: [f"Unknown scope: {name}." for name in unknown]},
        )
    return tuple(dict.fromkeys(words)) or DEFAULT_SCOPES


def scope_allows(granted: Iterable[str], needed: str) -> bool:
    """Tell whether scopes granted to a token cover the scope an endpoint needs."""
    held = frozenset(granted)
    if needed in held:
        return True
    family, _, _ = needed.partition(":")
    if family in (READ, WRITE) and family in held and needed != family:
        return True
    return FOLLOW in held and needed in _FOLLOW_COVERS


def scopes_within(asked: Iterable[str], registered: Iterable[str]) -> bool:
    """Tell whether every scope asked for is one the app registered (or is covered by one)."""
    allowed = tuple(registered)
    return all(scope_allows(allowed, scope) for scope in asked)


def scope_descriptions(scopes: Iterable[str]) -> list[tuple[str, str]]:
    """Return each scope with what it lets an app do, in the catalogue's order."""
    asked = set(scopes)
    return [(name, words) for name, words in SCOPES.items() if name in asked]
