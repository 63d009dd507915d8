"""What the insights pages show, built from the selectors' answers: numbers and charts."""

from __future__ import annotations

from typing import Any

from glimpse.accounts.models import User
from glimpse.insights import charts
from glimpse.insights.models import Source
from glimpse.posts.presenters import post_view_of
from glimpse.posts.selectors.posts import posts_hydrate
from glimpse.posts.views.display import tile_of

SOURCE_NAMES = dict(Source.choices)


def account_page(viewer: User, found: dict[str, Any]) -> dict[str, Any]:
    """Return the context of the account insights page."""
    series = found["series"]
    labels = [f"{row['day']:%b} {row['day'].day}" for row in series]
    totals = found["totals"]
    top = found["top_posts"]
    hydrated = {
        post.pk: post for post in posts_hydrate(viewer=viewer, posts=[r["post"] for r in top])
    }
    hours = found["follower_hours"]
    return {
        "found": found,
        "totals": totals,
        "net_followers": totals["followers_gained"] - totals["followers_lost"],
        "views_chart": charts.columns(
            [row["impressions"] for row in series],
            labels,
            line=[row["reach"] for row in series],
            title="Impressions (columns) and accounts reached (line) per day",
            name="impressions",
            line_name="Accounts reached per day",
        ),
        "followers_chart": charts.diverging(
            [row["followers_gained"] for row in series],
            [row["followers_lost"] for row in series],
            labels,
            title="Followers gained and lost per day",
        ),
        "hours_chart": charts.columns(
            hours,
            [f"{hour:02d}:00" for hour in range(24)],
            title="When your followers see your posts, by hour of the day (UTC)",
            name="impressions by followers",
        ),
        "has_hours": any(hours),
        "sources_chart": _sources_chart(found["sources"]),
        "top": [
            {
                **row,
                "tile": tile_of(post_view_of(hydrated[row["post"].pk])),
                "rate": row["engagement_rate"] * 100,
            }
            for row in top
            if row["post"].pk in hydrated
        ],
        "hashtags": [{**row, "rate": row["engagement_rate"] * 100} for row in found["hashtags"]],
    }


def post_page(viewer: User, found: dict[str, Any]) -> dict[str, Any]:
    """Return the context of a post's insights page."""
    (post,) = posts_hydrate(viewer=viewer, posts=[found["post"]])
    return {
        "found": found,
        "post": post,
        "tile": tile_of(post_view_of(post)),
        "rate": found["engagement_rate"] * 100,
        "sources_chart": _sources_chart(found["sources"]),
    }


def _sources_chart(sources: dict[str, int]) -> Any:
    if not any(sources.values()):
        return None
    items = sorted(sources.items(), key=lambda item: -item[1])
    return charts.shares(
        [(SOURCE_NAMES.get(name, name), count) for name, count in items],
        title="Where the impressions came from",
    )
