"""The JSON shapes of posts, comments, collections, hashtags and places in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from glimpse.accounts.schemas import ViewerRelation
from glimpse.media.schemas import RenditionOut

# Ids are 64-bit: JSON carries them as strings, and anything out of range is refused early.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- input ------------------------------------------------------------------------------


class PeopleTagIn(Schema):
    username: str = Field(max_length=64)
    x: float = Field(description="0 (left) to 1 (right) of the item's frame")
    y: float = Field(description="0 (top) to 1 (bottom) of the item's frame")


class ItemIn(Schema):
    alt_text: str | None = Field(
        None, max_length=10_000, description="At most 1,500 characters; null keeps the media's."
    )
    people_tags: list[PeopleTagIn] | None = Field(None, max_length=200)


class ItemPatch(ItemIn):
    media_id: Id = Field(description="Which item of the post this edits.")


class PlaceIn(Schema):
    name: str = Field(max_length=1000)
    address: str = Field("", max_length=2000)
    lat: float | None = None
    lng: float | None = None


class PostIn(Schema):
    media_ids: list[Id] = Field(max_length=200, description="1 to 20 ready items, in order.")
    caption: str = Field("", max_length=50_000, description="At most 2,200 characters.")
    items: list[ItemIn] | None = Field(
        None, max_length=200, description="One entry per media id, in the same order."
    )
    place: PlaceIn | None = Field(None, description="Found, or created on first use.")
    place_id: Id | None = Field(None, description="A known place (instead of `place`).")
    comments_enabled: bool = True
    hide_like_count: bool = False
    kind: Literal["post", "reel"] = Field(
        "post",
        description=(
            '"reel" publishes one video of at most 3 minutes, no taller than 9:16, as a Reel '
            "(also shown in the Reels feed)."
        ),
    )
    publish_at: datetime | None = Field(
        None,
        description=(
            "Schedule the post instead of publishing it now (answers 202 with the scheduled "
            "post): ISO 8601 with its offset, 10 minutes to 75 days ahead."
        ),
    )
    time_zone: str = Field(
        "UTC", max_length=64, description="With `publish_at`: your IANA time zone's name."
    )


class PostPatch(Schema):
    """An edit: fields left out keep their value; `place: null` removes the place."""

    caption: str | None = Field(None, max_length=50_000)
    place: PlaceIn | None = None
    place_id: Id | None = None
    media_ids: list[Id] | None = Field(
        None, max_length=200, description="New order; items left out are removed."
    )
    items: list[ItemPatch] | None = Field(None, max_length=200)
    comments_enabled: bool | None = None
    hide_like_count: bool | None = None


class CommentIn(Schema):
    text: str = Field(max_length=50_000, description="At most 2,200 characters.")
    parent_id: Id | None = Field(None, description="Reply in this comment's thread.")


class CollectionIn(Schema):
    name: str = Field(max_length=1000)


# --- output -----------------------------------------------------------------------------


class AccountCompactOut(Schema):
    id: str
    username: str
    display_name: str
    is_private: bool
    avatar: dict[str, str] | None = Field(description="Avatar URLs by pixel size, or null.")


class LikerOut(AccountCompactOut):
    viewer: ViewerRelation


class LikerListOut(Schema):
    items: list[LikerOut]
    next_max_id: str | None


class PeopleTagOut(Schema):
    account: AccountCompactOut
    x: float
    y: float


class PostMediaOut(Schema):
    id: str = Field(description="The media item's id (used to reorder or edit items).")
    kind: str = Field(description='"photo" or "video"')
    width: int
    height: int
    duration: float | None
    blurhash: str
    dominant_color: str
    alt_text: str
    renditions: list[RenditionOut]
    focus: dict[str, float] | None = Field(
        None, description="The point a cropped preview keeps in view: x and y, each in -1..1."
    )
    people_tags: list[PeopleTagOut]


class PlaceOut(Schema):
    id: str
    name: str
    address: str
    lat: float | None
    lng: float | None
    post_count: int | None = Field(
        description="The posts you may see made here; null inside a post (see the place)."
    )
    distance_km: float | None = Field(None, description="From the searched position, if any.")


class PostViewerOut(Schema):
    liked: bool
    saved: bool
    reposted: bool
    is_author: bool


class PostOut(Schema):
    id: str
    author: AccountCompactOut
    kind: Literal["post", "reel"] = Field(description='"reel" for a post published as a Reel.')
    caption: str
    media: list[PostMediaOut]
    like_count: int | None = Field(description="Null when the author hides it (except to them).")
    comment_count: int
    repost_count: int
    view_count: int | None = Field(
        description="A Reel's plays: distinct accounts besides its author. Null for other posts."
    )
    comments_enabled: bool
    hide_like_count: bool
    viewer: PostViewerOut
    place: PlaceOut | None
    hashtags: list[str]
    mentions: list[str] = Field(description="Usernames linked from the caption.")
    created_at: datetime
    edited_at: datetime | None
    is_archived: bool
    is_pinned: bool
    permalink: str


class PostListOut(Schema):
    items: list[PostOut]
    next_max_id: str | None


class EditOut(Schema):
    id: str
    created_at: datetime
    changes: dict[str, Any] = Field(
        description="By field (caption, place, items): its value before and after."
    )


class EditListOut(Schema):
    items: list[EditOut]
    next_max_id: str | None


class LikeStateOut(Schema):
    liked: bool
    like_count: int | None


class SaveStateOut(Schema):
    saved: bool
    collection_ids: list[str]


class RepostStateOut(Schema):
    reposted: bool
    repost_count: int


class CommentViewerOut(Schema):
    liked: bool
    can_delete: bool


class CommentOut(Schema):
    id: str
    post_id: str
    parent_id: str | None = Field(description="The thread this reply belongs to.")
    author: AccountCompactOut
    text: str
    mentions: list[str]
    like_count: int
    reply_count: int
    is_pinned: bool
    created_at: datetime
    viewer: CommentViewerOut


class CommentListOut(Schema):
    items: list[CommentOut]
    next_max_id: str | None


class CollectionOut(Schema):
    id: str
    name: str
    post_count: int
    cover: PostMediaOut | None = Field(description="The first item of the latest post in it.")
    created_at: datetime
    updated_at: datetime


class CollectionListOut(Schema):
    items: list[CollectionOut]
    next_max_id: str | None


class CollectionPageOut(Schema):
    collection: CollectionOut
    items: list[PostOut]
    next_max_id: str | None


class TagOut(Schema):
    name: str
    post_count: int


class TagPageOut(Schema):
    tag: TagOut
    top: list[PostOut] = Field(description="Most engaging posts; on the first page only.")
    items: list[PostOut] = Field(description="Most recent posts.")
    next_max_id: str | None


class PlacePageOut(Schema):
    place: PlaceOut
    top: list[PostOut] = Field(description="Most engaging posts; on the first page only.")
    items: list[PostOut] = Field(description="Most recent posts.")
    next_max_id: str | None


class PlaceListOut(Schema):
    items: list[PlaceOut]
    next_max_id: str | None = Field(description="Always null: searches answer one page.")
