"""Mastodon's Tag: a hashtag, its page, and how much it was used each of the last days."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from glimpse.mastodon.content import tag_url

# Mastodon's clients draw a week of use.
HISTORY_DAYS = 7


def tag_entity(
    name: str, *, daily_use: Mapping[date, tuple[int, int]] | None = None, today: date | None = None
) -> dict[str, Any]:
    """Return a hashtag as a Tag; with ``daily_use`` (posts and accounts by day), its
    ``history``, the newest day first, each day as Mastodon writes it (strings)."""
    history = []
    if daily_use is not None and today is not None:
        for back in range(HISTORY_DAYS):
            day = today - timedelta(days=back)
            uses, accounts = daily_use.get(day, (0, 0))
            history.append(
                {
                    "day": str(calendar.timegm(day.timetuple())),
                    "uses": str(uses),
                    "accounts": str(accounts),
                }
            )
    return {"name": name, "url": tag_url(name), "history": history, "following": False}
