"""The visibility policy of graph/ applied to stories and highlights: their one entry.

The rule itself (the content rule, close friends, hides by reports) is graph's; this module
says where a story's fields are. Read paths ask the QuerySet methods of the models
(``Story.objects.visible_to(viewer)``, ``.live_to``, ``.shown_to``, ``.unmuted_for``,
``Highlight.objects.visible_to``); a highlight's items apply ``stories_visible_to`` at the
path of their story.
"""

from __future__ import annotations

from django.db.models import Q

from glimpse.accounts.models import User
from glimpse.graph.visibility import _content_visible_to, _stories_visible_to


def stories_visible_to(viewer: User | None, *, story: str = "") -> Q:
    """Return a filter keeping the stories (at path ``story``) the viewer may see, by the
    story rule; whether a story is still live is the caller's question."""
    prefix = f"{story}__" if story else ""
    return _stories_visible_to(viewer, author=f"{prefix}author", audience=f"{prefix}audience")


def highlights_visible_to(viewer: User | None) -> Q:
    """Return a filter keeping the highlights whose owner's content the viewer may see (each
    of its stories is still asked on its own)."""
    return _content_visible_to(viewer, author="owner")
