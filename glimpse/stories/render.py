"""Plain dicts of hydrated stories and highlights for the API (no query is made here)."""

from __future__ import annotations

from typing import Any

from glimpse.media.selectors import media_renditions
from glimpse.posts.api.render import account_out
from glimpse.stories.models import Story
from glimpse.stories.selectors import HighlightView, TrayEntry


def story_out(story: Story) -> dict[str, Any]:
    """Return a story hydrated by selectors.stories_hydrate."""
    media = story.media
    renditions = media_renditions(media)
    shown = [r for r in renditions if r["name"] != "thumb"]
    widest = max(shown, key=lambda r: r["width"], default=None)
    return {
        "id": str(story.pk),
        "author": account_out(story.author),
        "media": {
            "id": str(media.pk),
            "kind": media.kind,
            "width": widest["width"] if widest else media.width,
            "height": widest["height"] if widest else media.height,
            "duration": media.duration,
            "blurhash": media.blurhash,
            "dominant_color": media.dominant_color,
            "alt_text": media.alt_text,
            "renditions": renditions,
        },
        "audience": story.audience,
        "caption": story.caption,
        "created_at": story.created_at,
        "expires_at": story.expires_at,
        "viewer": {
            "seen": story.viewer_seen,
            "reaction": story.viewer_reaction,
            "is_author": story.viewer_is_author,
        },
        "view_count": story.view_count if story.viewer_is_author else None,
    }


def tray_entry_out(entry: TrayEntry) -> dict[str, Any]:
    """Return one account of the story tray."""
    return {
        "account": account_out(entry.account),
        "story_count": entry.story_count,
        "has_unseen": entry.has_unseen,
        "has_close_friends": entry.has_close_friends,
        "latest_id": str(entry.latest_id),
    }


def highlight_out(view: HighlightView, *, with_stories: bool = False) -> dict[str, Any]:
    """Return a highlight with its cover (and its stories when asked)."""
    highlight = view.highlight
    cover = view.cover
    return {
        "id": str(highlight.pk),
        "owner": account_out(highlight.owner),
        "title": highlight.title,
        "cover": story_out(cover) if cover else None,
        "story_count": len(view.stories),
        "stories": [story_out(s) for s in view.stories] if with_stories else None,
        "created_at": highlight.created_at,
        "updated_at": highlight.updated_at,
    }
