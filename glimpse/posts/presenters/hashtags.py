"""A hashtag as the API shows it: its name and how many of its posts the viewer may see."""

from __future__ import annotations

from typing import TypedDict

from glimpse.posts.models import Hashtag


class HashtagJson(TypedDict):
    name: str
    post_count: int


def hashtag_json(tag: Hashtag) -> HashtagJson:
    """Return a hashtag with its ``visible_count`` as selectors annotate it (0 when absent)."""
    return HashtagJson(name=tag.name, post_count=getattr(tag, "visible_count", 0))
