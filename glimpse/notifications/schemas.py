"""The JSON shapes of notifications in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from glimpse.notifications.models import Kind

LevelName = Literal["off", "following", "everyone"]


class ActorOut(Schema):
    id: str
    username: str
    display_name: str
    is_private: bool
    avatar: dict[str, str] | None = Field(description="Avatar URLs by pixel size, or null.")


class NotificationPostOut(Schema):
    id: str
    thumbnail: str | None = Field(description="URL of the post's first item's thumbnail.")


class NotificationCommentOut(Schema):
    id: str
    text: str = Field(description="The start of the comment.")


class NotificationStoryOut(Schema):
    id: str = Field(
        description="The story's id, for GET stories/{id}: a 404 once it is gone (expired "
        "and in no highlight, or deleted), while the notification stays."
    )


class NotificationOut(Schema):
    """One entry of the viewer's activity; grouped kinds gather many actors."""

    id: str
    kind: str = Field(description="One of: " + ", ".join(Kind.values) + ".")
    actors: list[ActorOut] = Field(description="Up to 3 actors, the latest first.")
    actor_count: int = Field(description="How many distinct accounts did it.")
    post: NotificationPostOut | None
    comment: NotificationCommentOut | None
    story: NotificationStoryOut | None = Field(
        description="The story of a story reaction, reply or mention, else null."
    )
    text: str = Field(description='What to show, e.g. "ana and 12 others liked your post."')
    is_read: bool
    created_at: datetime
    updated_at: datetime = Field(description="The latest activity; it orders the list.")
    cursor: str = Field(description="This entry's place in the list (what max_id compares).")


class NotificationListOut(Schema):
    items: list[NotificationOut]
    next_max_id: str | None = Field(
        description="Pass as max_id for the next page (an entry's cursor); null on the last page."
    )


class UnreadCountOut(Schema):
    count: int


class PreferencesOut(Schema):
    """The level of each kind: off, following (from people you follow) or everyone."""

    like: LevelName
    comment: LevelName
    reply: LevelName
    mention: LevelName
    follow: LevelName
    follow_request: LevelName
    request_approved: LevelName
    tagged: LevelName
    comment_like: LevelName
    story_reaction: LevelName
    story_reply: LevelName
    story_mention: LevelName


class PreferencesIn(Schema):
    """The kinds to change; the others keep their level. Unknown kinds are refused."""

    model_config = ConfigDict(extra="forbid")

    like: LevelName | None = None
    comment: LevelName | None = None
    reply: LevelName | None = None
    mention: LevelName | None = None
    follow: LevelName | None = None
    follow_request: LevelName | None = None
    request_approved: LevelName | None = None
    tagged: LevelName | None = None
    comment_like: LevelName | None = None
    story_reaction: LevelName | None = None
    story_reply: LevelName | None = None
    story_mention: LevelName | None = None
