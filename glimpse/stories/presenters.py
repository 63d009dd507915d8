"""Stories, the tray and highlights as the API and the pages show them (no query is made here).

``StoryView`` is built from a story hydrated by the stories selectors (its author and media
rows, and the viewer's own state); ``story_json`` is the only place a story's JSON is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from glimpse.accounts.presenters import (
    AccountJson,
    AccountView,
    account_json,
    account_view,
    account_view_of,
)
from glimpse.media.presenters import MediaJson, MediaView, media_json, media_view
from glimpse.stories.models import Story, StorySticker
from glimpse.stories.selectors import HighlightView, TrayEntry
from glimpse.stories.stickers import COLORS, LIGHT_COLORS


@dataclass(frozen=True)
class StoryViewer:
    """The viewer's own state of a story."""

    seen: bool
    reaction: str | None
    is_author: bool


@dataclass(frozen=True)
class StickerView:
    """A sticker as drawn over a story: where, how, and what it leads to.

    ``account`` is set for a mention the viewer may see (else it shows as plain text),
    ``tag`` for a hashtag, ``place_id`` for a place, ``url`` for a link.
    """

    kind: str
    x: float
    y: float
    text: str
    style: str
    color: str
    account: AccountView | None
    tag: str
    place_id: int | None
    url: str

    @property
    def paint(self) -> str:
        """Return the CSS colour of a text sticker."""
        return COLORS.get(self.color, COLORS["white"])

    @property
    def paint_on(self) -> str:
        """Return the colour of words written on the text sticker's colour (style "strong")."""
        return "#111111" if self.color in LIGHT_COLORS or not self.color else "#ffffff"

    @property
    def left(self) -> str:
        """Return x as a CSS percentage."""
        return f"{self.x * 100:.2f}%"

    @property
    def top(self) -> str:
        """Return y as a CSS percentage."""
        return f"{self.y * 100:.2f}%"


@dataclass(frozen=True)
class StoryView:
    """A story as one viewer sees it."""

    id: int
    author: AccountView
    media: MediaView
    audience: str
    caption: str
    created_at: datetime
    expires_at: datetime
    viewer: StoryViewer
    view_count: int | None  # only for its author
    stickers: tuple[StickerView, ...] = ()


@dataclass(frozen=True)
class TrayEntryView:
    """One account of the story tray."""

    account: AccountView
    story_count: int
    has_unseen: bool
    has_close_friends: bool
    latest_id: int
    is_own: bool


class StoryViewerJson(TypedDict):
    seen: bool
    reaction: str | None
    is_author: bool


class StickerPlaceJson(TypedDict):
    id: str
    name: str


class StickerJson(TypedDict):
    kind: str
    x: float
    y: float
    text: str
    style: str | None
    color: str | None
    account: AccountJson | None
    tag: str | None
    place: StickerPlaceJson | None
    url: str | None


class StoryJson(TypedDict):
    id: str
    author: AccountJson
    media: MediaJson
    audience: str
    caption: str
    created_at: datetime
    expires_at: datetime
    viewer: StoryViewerJson
    view_count: int | None
    stickers: list[StickerJson]


class TrayEntryJson(TypedDict):
    account: AccountJson
    story_count: int
    has_unseen: bool
    has_close_friends: bool
    latest_id: str


class AccountStoriesJson(TypedDict):
    account: AccountJson
    items: list[StoryJson]
    first_unseen: int  # the position of the first story the viewer has not seen


class HighlightJson(TypedDict):
    id: str
    owner: AccountJson
    title: str
    cover: StoryJson | None
    story_count: int
    stories: list[StoryJson] | None
    created_at: datetime
    updated_at: datetime


def story_view(story: Story) -> StoryView:
    """Return the presenter of a story hydrated by the stories selectors."""
    return StoryView(
        id=story.pk,
        author=account_view_of(story.author),
        media=media_view(story.media),
        audience=story.audience,
        caption=story.caption,
        created_at=story.created_at,
        expires_at=story.expires_at,
        viewer=StoryViewer(story.viewer_seen, story.viewer_reaction, story.viewer_is_author),
        view_count=story.view_count if story.viewer_is_author else None,
        stickers=tuple(sticker_view(sticker) for sticker in story.stickers.all()),
    )


def sticker_view(sticker: StorySticker) -> StickerView:
    """Return the presenter of a sticker loaded by ``selectors.stories_hydrate``."""
    account = sticker.account if sticker.account_visible else None
    return StickerView(
        kind=sticker.kind,
        x=sticker.x,
        y=sticker.y,
        # A mention shows the account's name now (it may have changed since).
        text=sticker.account.username if sticker.account else sticker.text,
        style=sticker.style,
        color=sticker.color,
        account=account_view_of(account) if account else None,
        tag=sticker.tag,
        place_id=sticker.place_id,
        url=sticker.url,
    )


def tray_entry_view(entry: TrayEntry) -> TrayEntryView:
    """Return one account of the story tray."""
    return TrayEntryView(
        account=account_view(entry.account),
        story_count=entry.story_count,
        has_unseen=entry.has_unseen,
        has_close_friends=entry.has_close_friends,
        latest_id=entry.latest_id,
        is_own=entry.is_own,
    )


def story_json(view: StoryView) -> StoryJson:
    """Return a story as the API shows it."""
    return StoryJson(
        id=str(view.id),
        author=account_json(view.author),
        media=media_json(view.media),
        audience=view.audience,
        caption=view.caption,
        created_at=view.created_at,
        expires_at=view.expires_at,
        viewer=StoryViewerJson(
            seen=view.viewer.seen, reaction=view.viewer.reaction, is_author=view.viewer.is_author
        ),
        view_count=view.view_count,
        stickers=[sticker_json(sticker) for sticker in view.stickers],
    )


def sticker_json(view: StickerView) -> StickerJson:
    """Return a sticker as the API shows it (what it leads to, for apps to link)."""
    is_text = view.kind == StorySticker.Kind.TEXT
    return StickerJson(
        kind=view.kind,
        x=view.x,
        y=view.y,
        text=view.text,
        style=view.style if is_text else None,
        color=view.color if is_text else None,
        account=account_json(view.account) if view.account else None,
        tag=view.tag or None,
        place=StickerPlaceJson(id=str(view.place_id), name=view.text) if view.place_id else None,
        url=view.url or None,
    )


def tray_entry_json(view: TrayEntryView) -> TrayEntryJson:
    """Return one account of the story tray as the API shows it."""
    return TrayEntryJson(
        account=account_json(view.account),
        story_count=view.story_count,
        has_unseen=view.has_unseen,
        has_close_friends=view.has_close_friends,
        latest_id=str(view.latest_id),
    )


def highlight_json(view: HighlightView, *, with_stories: bool = False) -> HighlightJson:
    """Return a highlight with its cover (and its stories when asked)."""
    highlight, cover = view.highlight, view.cover
    return HighlightJson(
        id=str(highlight.pk),
        owner=account_json(account_view_of(highlight.owner)),
        title=highlight.title,
        cover=story_json(story_view(cover)) if cover else None,
        story_count=len(view.stories),
        stories=[story_json(story_view(s)) for s in view.stories] if with_stories else None,
        created_at=highlight.created_at,
        updated_at=highlight.updated_at,
    )
