"""Web pages of stories, under the ``stories`` namespace (see glimpse/stories/urls.py)."""

from glimpse.stories.views.archive import archive, highlight_delete, highlight_edit, highlight_new
from glimpse.stories.views.compose import close_friends, story_new
from glimpse.stories.views.viewer import (
    account_viewer,
    archive_story,
    highlight_viewer,
    tray,
    tray_for,
)

__all__ = [
    "account_viewer",
    "archive",
    "archive_story",
    "close_friends",
    "highlight_delete",
    "highlight_edit",
    "highlight_new",
    "highlight_viewer",
    "story_new",
    "tray",
    "tray_for",
]
