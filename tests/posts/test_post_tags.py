"""The template filters of posts and feed cards: short times, counts, folded captions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from glimpse.posts.templatetags.post_tags import ago, long_caption, thousands


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Freeze the clock the filters read."""
    frozen = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


@pytest.mark.parametrize(
    ("elapsed", "said"),
    [
        (timedelta(seconds=0), "now"),
        (timedelta(seconds=59), "now"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=3, seconds=30), "3m"),
        (timedelta(minutes=59), "59m"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=3), "3h"),
        (timedelta(hours=23, minutes=59), "23h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=2), "2d"),
        (timedelta(days=6), "6d"),
        (timedelta(days=7), "1w"),
        (timedelta(days=35), "5w"),
        (timedelta(weeks=51), "51w"),
    ],
)
def test_ago_says_how_long_ago_in_short(now: datetime, elapsed: timedelta, said: str) -> None:
    assert ago(now - elapsed) == said


def test_ago_gives_a_date_after_a_year_and_nothing_for_no_time(now: datetime) -> None:
    assert ago(datetime(2025, 3, 4, 9, 0, tzinfo=UTC)) == "March 4, 2025"
    assert ago(None) == ""


def test_a_moment_ahead_of_the_clock_is_now(now: datetime) -> None:
    # A server a little ahead of another (or a post made during the page) is "now", not "-1m".
    assert ago(now + timedelta(seconds=5)) == "now"


def test_thousands_writes_counts_in_full() -> None:
    assert thousands(1) == "1"
    assert thousands(12_345) == "12,345"
    assert thousands(None) == ""


def test_a_caption_folds_when_long_or_many_lines() -> None:
    assert not long_caption("Low tide, high spirits #travel")
    assert not long_caption("one\ntwo")
    assert long_caption("one\ntwo\nthree")
    assert long_caption("x" * 126)
    assert not long_caption("x" * 125)
