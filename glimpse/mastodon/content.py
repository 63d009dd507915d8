"""Text as Mastodon's clients read it: HTML paragraphs with hashtags and mentions linked.

The HTML is the posts app's (``glimpse.posts.text``), shared with federation; the times are
written here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from glimpse.posts.text import account_url, hashtag_link, mention_link, tag_url, text_html

__all__ = ["account_url", "hashtag_link", "mention_link", "tag_url", "text_html", "timestamp"]


def timestamp(moment: datetime) -> str:
    """Return a time as Mastodon writes it: UTC, to the millisecond."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
