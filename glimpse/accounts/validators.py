"""Rules for usernames and display names, shared by the API, the web forms and the admin."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings

from glimpse.core.site import site_url
from glimpse.core.text import INVISIBLE_MESSAGE, has_invisible

USERNAME_PATTERN = re.compile(r"^[a-z0-9._]+$")
# An account of another server is named ``name@host`` (its port when it has one), and
# ``~<n>`` after it once its server gave the name to another actor (federation).
REMOTE_USERNAME_PATTERN = re.compile(r"^[a-z0-9_.\-]+@[a-z0-9.\-]+(?::[0-9]{1,5})?(?:~[0-9]+)?$")
REMOTE_USERNAME_MAX = 330  # the column's width

# Words that name pages or could pass for the service speaking.
RESERVED_USERNAMES = frozenset(
    [
        "about",
        "create",
        "accounts",
        "activity",
        "admin",
        "administrator",
        "api",
        "app",
        "auth",
        "blog",
        "direct",
        "docs",
        "explore",
        "familiar_followers",
        "favicon.ico",
        "feed",
        "glimpse",
        "healthz",
        "help",
        "home",
        "inbox",
        "legal",
        "login",
        "logout",
        "lookup",
        "manifest.webmanifest",
        "me",
        "media",
        "moderator",
        "new",
        "notifications",
        "null",
        "oauth",
        "offline",
        "official",
        "p",
        "places",
        "posts",
        "privacy",
        "push",
        "readyz",
        "relationships",
        "reels",
        "robots.txt",
        "root",
        "search",
        "security",
        "settings",
        "signup",
        "static",
        "stories",
        "suggested",
        "sw.js",
        "support",
        "system",
        "tags",
        "uploads",
        "terms",
        "tray",
        "undefined",
        "update_credentials",
        "verify_credentials",
        "ws",
        "www",
    ]
)


def normalize_username(raw: str) -> str:
    """Return the canonical (trimmed, lowercase) form of a username."""
    return raw.strip().lower()


def possible_username(raw: str) -> str | None:
    """Return the normalized name if some account could bear it, else None (no query needed)."""
    username = normalize_username(raw)
    if "@" in username:  # another server's account; local sign-up refuses "@"
        if len(username) > REMOTE_USERNAME_MAX or not REMOTE_USERNAME_PATTERN.fullmatch(username):
            return None
        return username
    if len(username) > settings.GLIMPSE_USERNAME_MAX or not USERNAME_PATTERN.fullmatch(username):
        return None
    return username


def username_problems(username: str) -> list[str]:
    """Return what is wrong with an already normalized username (empty when it is valid)."""
    limit = settings.GLIMPSE_USERNAME_MAX
    if not username:
        return ["Choose a username."]
    if has_invisible(username):
        return [INVISIBLE_MESSAGE]
    if len(username) > limit:
        return [f"Usernames have at most {limit} characters."]
    if not USERNAME_PATTERN.match(username):
        return ["Use only lowercase letters, digits, '.' and '_'."]
    if username.startswith(".") or username.endswith(".") or ".." in username:
        return ["A username cannot start or end with '.', or have two in a row."]
    if username in RESERVED_USERNAMES or username in _site_hosts():
        return ["This username is reserved. Choose another one."]
    if username.isdigit():
        # The client API takes an account by its numeric id where Glimpse's own API takes a
        # username (accounts/...): a username never reads as an id, whatever the root.
        return ["A username needs at least one letter, '.' or '_'."]
    return []


def _site_hosts() -> set[str]:
    """Return this server's host name, with and without its port (empty when unknown)."""
    # The instance's own actor answers WebFinger as acct:<host>@<host>: an account of that
    # name would be shadowed by it, or pass for the server speaking.
    parts = urlsplit(site_url())
    return {name for name in (parts.hostname, parts.netloc.lower()) if name}


def display_name_problems(display_name: str) -> list[str]:
    """Return what is wrong with a trimmed display name (empty when it is valid)."""
    limit = settings.GLIMPSE_DISPLAY_NAME_MAX
    if len(display_name) > limit:
        return [f"Names have at most {limit} characters."]
    if has_invisible(display_name, allow_joiners=True):
        # A right-to-left override or a zero-width space lets a name pass for another.
        return [INVISIBLE_MESSAGE]
    return []
