"""Turn insights as the selectors return them into API bodies."""

from __future__ import annotations

from typing import Any

from glimpse.insights.counting import POST_FIELDS
from glimpse.posts.selectors import post_permalink


def account_out(found: dict[str, Any]) -> dict[str, Any]:
    """Return an account's insights as the API shows them."""
    return {
        **found,
        "top_posts": [_top_post_out(row) for row in found["top_posts"]],
    }


def post_out(found: dict[str, Any]) -> dict[str, Any]:
    """Return a post's insights as the API shows them."""
    post = found["post"]
    return {
        "id": str(post.pk),
        "created_at": post.created_at.isoformat(),
        **{name: found[name] for name in POST_FIELDS},
        "engagement_rate": found["engagement_rate"],
        "sources": found["sources"],
    }


def _top_post_out(row: dict[str, Any]) -> dict[str, Any]:
    post = row["post"]
    return {
        "id": str(post.pk),
        "permalink": post_permalink(post=post),
        **{name: row[name] for name in POST_FIELDS},
        "engagement_rate": row["engagement_rate"],
    }
