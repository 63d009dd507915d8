"""Mastodon's entities as its clients read them: each answer is validated against these.

Only the fields clients rely on are named, each with its type; a missing field, a wrong type
or a null where clients expect a value fails the test that reads the answer.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Entity(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class Field_(Entity):
    name: str
    value: str


class Account(Entity):
    id: str = Field(pattern=r"^\d+$")
    username: str
    acct: str
    display_name: str
    locked: bool
    bot: bool
    created_at: str = Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
    note: str
    url: str
    avatar: str
    avatar_static: str
    header: str
    header_static: str
    followers_count: int
    following_count: int
    statuses_count: int
    last_status_at: str | None
    emojis: list[Any]
    fields: list[Field_]


class Source(Entity):
    note: str
    fields: list[Any]
    privacy: Literal["public", "unlisted", "private", "direct"]
    sensitive: bool
    language: str | None
    follow_requests_count: int


class CredentialAccount(Account):
    source: Source


class Size(Entity):
    width: int
    height: int
    size: str
    aspect: float


class Meta(Entity):
    original: Size
    small: Size


class MediaAttachment(Entity):
    id: str
    type: Literal["image", "video", "gifv", "audio", "unknown"]
    url: str
    preview_url: str
    remote_url: None
    meta: Meta
    description: str | None
    blurhash: str | None


class Mention(Entity):
    id: str
    username: str
    acct: str
    url: str


class Tag(Entity):
    name: str
    url: str


class Status(Entity):
    id: str = Field(pattern=r"^\d+$")
    uri: str
    url: str | None
    created_at: str = Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
    account: Account
    content: str
    visibility: Literal["public", "unlisted", "private", "direct"]
    sensitive: bool
    spoiler_text: str
    media_attachments: list[MediaAttachment]
    mentions: list[Mention]
    tags: list[Tag]
    emojis: list[Any]
    reblogs_count: int
    favourites_count: int
    replies_count: int
    in_reply_to_id: str | None
    in_reply_to_account_id: str | None
    reblog: Status | None
    application: None
    language: str | None
    edited_at: str | None
    poll: None
    card: None
    favourited: bool
    reblogged: bool
    muted: bool
    bookmarked: bool
    pinned: bool


class Context(Entity):
    ancestors: list[Status]
    descendants: list[Status]


class Relationship(Entity):
    id: str
    following: bool
    showing_reblogs: bool
    notifying: bool
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    requested: bool
    domain_blocking: bool
    endorsed: bool
    note: str


def statuses(body: Any) -> list[Status]:
    """Return a list of statuses, each validated."""
    assert isinstance(body, list), body
    return [Status.model_validate(item) for item in body]


def accounts(body: Any) -> list[Account]:
    """Return a list of accounts, each validated."""
    assert isinstance(body, list), body
    return [Account.model_validate(item) for item in body]


class Notification(Entity):
    id: str = Field(pattern=r"^\d+$")
    type: Literal[
        "mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update"
    ]
    group_key: str
    created_at: str = Field(pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
    account: Account
    status: Status | None = None


class NotificationGroup(Entity):
    group_key: str
    notifications_count: int
    type: str
    most_recent_notification_id: str = Field(pattern=r"^\d+$")
    page_min_id: str = Field(pattern=r"^\d+$")
    page_max_id: str = Field(pattern=r"^\d+$")
    latest_page_notification_at: str
    sample_account_ids: list[str]
    status_id: str | None = None


class GroupedNotifications(Entity):
    accounts: list[Account]
    statuses: list[Status]
    notification_groups: list[NotificationGroup]
