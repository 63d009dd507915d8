"""The two scales of the synthetic network and the numbers that shape it."""

from __future__ import annotations

from dataclasses import dataclass

DAY_MS = 86_400_000
PASSWORD = "glimpse-bench"  # noqa: S105 - every seeded account shares it, on purpose


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind to make, and the shape of their distributions."""

    name: str
    accounts: int
    posts: int
    likes: int
    comments: int
    median_followees: int
    places: int
    hashtags: int
    reposts: int
    follow_requests: int
    pool_size: int = 24
    days: int = 90
    private_share: float = 0.10
    hashtag_share: float = 0.40  # posts with at least one hashtag
    place_share: float = 0.25  # posts with a place
    reply_share: float = 0.20  # comments that reply to a top-level comment
    # Zipf exponent of account popularity: about 6-8 accounts end up followed by half of
    # everyone, as the most followed accounts of a real network are (1.0 made 16 of them:
    # redrawing duplicates piles more follows on the top ranks as the exponent grows).
    popularity_exponent: float = 0.88
    followees_sigma: float = 0.9  # log-normal spread of how many accounts one follows


SCALES = {
    "small": Scale(
        name="small",
        accounts=1_000,
        posts=10_000,
        likes=100_000,
        comments=10_000,
        median_followees=30,
        places=200,
        hashtags=1_000,
        reposts=100,
        follow_requests=20,
        pool_size=8,  # processing photos is the slow part of a small run (tests)
    ),
    "large": Scale(
        name="large",
        accounts=100_000,
        posts=1_000_000,
        likes=10_000_000,
        comments=1_000_000,
        median_followees=100,
        places=10_000,
        hashtags=30_000,
        reposts=10_000,
        follow_requests=2_000,
    ),
}
