"""The limits of posts and comments (DESIGN.md §6), each overridable in settings."""

from __future__ import annotations

from django.conf import settings

_DEFAULTS = {
    "GLIMPSE_CAPTION_MAX": 2200,
    "GLIMPSE_COMMENT_MAX": 2200,
    "GLIMPSE_POST_ITEMS_MAX": 20,
    "GLIMPSE_HASHTAGS_MAX": 30,
    "GLIMPSE_HASHTAG_LENGTH_MAX": 100,
    "GLIMPSE_MENTIONS_MAX": 20,
    "GLIMPSE_PEOPLE_TAGS_MAX": 20,
    "GLIMPSE_PINNED_POSTS_MAX": 3,
    "GLIMPSE_COLLECTION_NAME_MAX": 100,
    "GLIMPSE_PLACE_NAME_MAX": 200,
    "GLIMPSE_PLACE_ADDRESS_MAX": 300,
    "GLIMPSE_PLACE_RADIUS_KM": 25,
    "GLIMPSE_PLACE_RADIUS_KM_MAX": 200,
    "GLIMPSE_TOP_POSTS": 9,
}


def limit(name: str) -> int:
    """Return the configured value of one limit, or its default."""
    return int(getattr(settings, name, _DEFAULTS[name]))
