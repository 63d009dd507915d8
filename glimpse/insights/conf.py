"""The settings of insights, each with its default (override any in the settings module)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # Impressions moved from the buffer into the database per batch.
    "GLIMPSE_INSIGHTS_BATCH": 5000,
    # The buffer asks for a flush once it holds this many (in-process: or its oldest is this old).
    "GLIMPSE_INSIGHTS_FLUSH_AT": 2000,
    "GLIMPSE_INSIGHTS_FLUSH_SECONDS": 60,
    # At most one flush job waits at a time: a lost one frees its place after this long.
    "GLIMPSE_INSIGHTS_FLUSH_MARK_SECONDS": 300,
    # A follow made this long after a visit to the profile from a post is credited to it.
    "GLIMPSE_INSIGHTS_FOLLOW_WINDOW": 3600,
    # A day is rolled up once it ended this long ago (late batches have landed by then).
    "GLIMPSE_INSIGHTS_ROLLUP_DELAY": 600,
}


def setting(name: str) -> int:
    """Return the value of an insights setting."""
    return int(getattr(settings, name, DEFAULTS[name]))
