"""What the account pages share: the avatar to draw."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from glimpse.accounts import selectors
from glimpse.accounts.models import User


@dataclass(frozen=True)
class Avatar:
    """What a template needs to draw an account's round picture, or its initial."""

    url: str | None
    initial: str
    hue: int
    label: str


def avatar_of(user: User, size: int = 150) -> Avatar:
    """Return the avatar of an account at the given size, with an initial as fallback."""
    urls = selectors.avatar_urls(user)
    # A hue derived from the username, so an account without a picture keeps its colour.
    hue = zlib.crc32(user.username.encode()) % 360
    initial = (user.name[:1] or "?").upper()
    url = urls.get(str(size)) if urls else None
    return Avatar(url=url, initial=initial, hue=hue, label=f"{user.username}'s profile picture")
