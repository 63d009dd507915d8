"""The JSON shapes of stories, highlights and Close Friends in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, StrictFloat

from glimpse.media.schemas import RenditionOut
from glimpse.posts.schemas import AccountCompactOut, Id

# --- input ------------------------------------------------------------------------------


class StickerIn(Schema):
    kind: str = Field(description="text, mention, hashtag, place or link")
    x: StrictFloat = Field(description="The sticker's centre from the left, 0 to 1 of the frame.")
    y: StrictFloat = Field(description="The sticker's centre from the top, 0 to 1 of the frame.")
    text: str | None = Field(
        None, max_length=10_000, description="A text sticker's words (up to 200), a link's label."
    )
    style: str | None = Field(None, description="Text only: classic, strong, neon, typewriter.")
    color: str | None = Field(
        None, description="Text only: white, black, red, orange, yellow, green, blue, purple, pink."
    )
    username: str | None = Field(None, max_length=100, description="A mention's account.")
    tag: str | None = Field(None, max_length=1_000, description="A hashtag, without #.")
    place_id: Id | None = Field(None, description="A place's id (from places search).")
    url: str | None = Field(None, max_length=10_000, description="A link: http:// or https://.")


class StoryIn(Schema):
    media_id: Id = Field(
        description="A ready photo or video of yours, not in a post or story (upload it with "
        "shape=story to keep its shape up to 9:16)."
    )
    audience: Literal["everyone", "close_friends"] = "everyone"
    caption: str = Field("", max_length=10_000)
    stickers: list[StickerIn] = Field(
        default_factory=list, max_length=100, description="Up to 10, drawn in this order."
    )


class ReactionIn(Schema):
    emoji: str = Field(max_length=32, description="One of ❤️ 😂 😮 😢 👏 🔥 😍 💯")


class ReplyIn(Schema):
    text: str = Field(max_length=10_000, description="1 to 1,000 characters.")


class HighlightIn(Schema):
    title: str = Field(max_length=1_000, description="1 to 30 characters.")
    story_ids: list[Id] = Field(max_length=1_000, description="Your stories, in order.")
    cover_story_id: Id | None = Field(None, description="One of them (default: the first).")


class HighlightPatch(Schema):
    title: str | None = Field(None, max_length=1_000)
    story_ids: list[Id] | None = Field(
        None, max_length=1_000, description="The highlight's stories in their new order."
    )
    cover_story_id: Id | None = Field(None, description="One of the highlight's stories.")


# --- output -----------------------------------------------------------------------------


class StoryMediaOut(Schema):
    id: str
    kind: str = Field(description='"photo" or "video"')
    width: int
    height: int
    duration: float | None
    blurhash: str
    dominant_color: str
    alt_text: str
    renditions: list[RenditionOut]


class StickerPlaceOut(Schema):
    id: str
    name: str


class StickerOut(Schema):
    kind: Literal["text", "mention", "hashtag", "place", "link"]
    x: float = Field(description="The centre from the left, 0 to 1 of the 9:16 frame.")
    y: float = Field(description="The centre from the top, 0 to 1 of the 9:16 frame.")
    text: str = Field(description="What the sticker shows (a mention: the username).")
    style: str | None
    color: str | None
    account: AccountCompactOut | None = Field(
        description="A mention's account (null when you may not see it)."
    )
    tag: str | None = Field(description="A hashtag's key, for tags/{name}/posts.")
    place: StickerPlaceOut | None
    url: str | None


class StoryViewerOut(Schema):
    seen: bool
    reaction: str | None
    is_author: bool


class StoryOut(Schema):
    id: str
    author: AccountCompactOut
    media: StoryMediaOut
    audience: Literal["everyone", "close_friends"]
    caption: str
    created_at: datetime
    expires_at: datetime
    viewer: StoryViewerOut
    view_count: int | None = Field(description="How many saw it; only for the author.")
    stickers: list[StickerOut]


class AccountStoriesOut(Schema):
    account: AccountCompactOut
    items: list[StoryOut] = Field(description="Live stories, oldest first.")
    first_unseen: int = Field(description="Position of the first story the viewer has not seen.")


class TrayEntryOut(Schema):
    account: AccountCompactOut
    story_count: int
    has_unseen: bool
    has_close_friends: bool = Field(description="Some of its stories are for close friends.")
    latest_id: str


class TrayOut(Schema):
    items: list[TrayEntryOut]


class SeenOut(Schema):
    seen: bool
    new: bool = Field(description="False when this view was already counted (or is yours).")


class StoryAccountOut(Schema):
    id: str
    account: AccountCompactOut
    created_at: datetime


class ViewerListOut(Schema):
    items: list[StoryAccountOut]
    count: int
    next_max_id: str | None


class ReactionOut(StoryAccountOut):
    emoji: str


class ReactionListOut(Schema):
    items: list[ReactionOut]
    next_max_id: str | None


class ReplyOut(StoryAccountOut):
    story_id: str
    text: str


class ReplyListOut(Schema):
    items: list[ReplyOut]
    next_max_id: str | None


class HighlightOut(Schema):
    id: str
    owner: AccountCompactOut
    title: str
    cover: StoryOut | None
    story_count: int
    stories: list[StoryOut] | None = Field(description="In order; only on a single highlight.")
    created_at: datetime
    updated_at: datetime


class HighlightListOut(Schema):
    items: list[HighlightOut]


class CloseFriendListOut(Schema):
    items: list[AccountCompactOut]
    next_max_id: str | None


class StoryListOut(Schema):
    items: list[StoryOut]
    next_max_id: str | None
