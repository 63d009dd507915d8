"""What the client API reads and answers, in Mastodon's names."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from glimpse.moderation.services import NOTE_MAX


def _snowflake(value: Any) -> int:
    """Read an id sent as a number or a string of digits."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("an id is a number")
    text = str(value)
    if not text.isdigit() or len(text) > 19:
        raise ValueError("an id is a number")
    return int(text)


# An id as clients send it: a string of digits (or a number, in JSON).
SnowflakeIn = Annotated[int, BeforeValidator(_snowflake)]


class AppIn(BaseModel):
    """``POST /api/v1/apps``: unknown fields are ignored, as Mastodon ignores them."""

    model_config = ConfigDict(extra="ignore")

    client_name: str = Field(min_length=1)
    # One string (URIs separated by spaces or new lines) or a list of them.
    redirect_uris: str | list[str]
    scopes: str | list[str] = "read"
    website: str | None = None


class ApplicationOut(BaseModel):
    """Mastodon's Application entity; the client's credentials only when it is created."""

    id: str
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str
    redirect_uris: list[str]
    vapid_key: str
    client_id: str | None = None
    client_secret: str | None = None
    client_secret_expires_at: int | None = None


class PreferencesOut(BaseModel):
    """Mastodon's Preferences entity (its names hold colons)."""

    model_config = ConfigDict(populate_by_name=True)

    posting_default_visibility: str = Field(serialization_alias="posting:default:visibility")
    posting_default_sensitive: bool = Field(serialization_alias="posting:default:sensitive")
    posting_default_language: str | None = Field(serialization_alias="posting:default:language")
    reading_expand_media: str = Field(serialization_alias="reading:expand:media")
    reading_expand_spoilers: bool = Field(serialization_alias="reading:expand:spoilers")


class PushKeysIn(BaseModel):
    """The device's keys, as ``PushManager.subscribe()`` gives them."""

    model_config = ConfigDict(extra="ignore")

    p256dh: str = Field(min_length=1, max_length=200)
    auth: str = Field(min_length=1, max_length=100)


class PushSubscriptionIn(BaseModel):
    """``subscription``: where pushes go and the keys they are encrypted to."""

    model_config = ConfigDict(extra="ignore")

    endpoint: str = Field(min_length=1, max_length=1024)
    keys: PushKeysIn
    standard: bool = False


class PushDataIn(BaseModel):
    """``data``: which notification types are pushed (``alerts``) and whose (``policy``)."""

    model_config = ConfigDict(extra="ignore")

    alerts: dict[str, str | bool] | None = None
    policy: str | None = None


class PushCreateIn(BaseModel):
    """``POST /api/v1/push/subscription``."""

    model_config = ConfigDict(extra="ignore")

    subscription: PushSubscriptionIn
    data: PushDataIn = Field(default_factory=PushDataIn)


class PushUpdateIn(BaseModel):
    """``PUT /api/v1/push/subscription``: only the data can change."""

    model_config = ConfigDict(extra="ignore")

    data: PushDataIn = Field(default_factory=PushDataIn)
    policy: str | None = None  # some apps send it at the top level


class PushSubscriptionOut(BaseModel):
    """Mastodon's WebPushSubscription entity."""

    id: str
    endpoint: str
    standard: bool
    alerts: dict[str, bool]
    policy: str
    server_key: str


class ReportIn(BaseModel):
    """``POST /api/v1/reports``: ``forward`` sends it to the server of an account of another
    server too; ``rule_ids`` and ``forward_to_domains`` are ignored (Glimpse has no server
    rules, and sends a report only to the reported account's server)."""

    model_config = ConfigDict(extra="ignore")

    account_id: str | int
    # ``status_ids[]`` in a form; one id alone when a client sends a single plain field.
    status_ids: list[str | int] | str | int = Field(default_factory=list)
    comment: str = Field("", max_length=NOTE_MAX)
    category: Literal["spam", "legal", "violation", "other"] = "other"
    forward: bool = False


def _listed(value: Any) -> Any:
    """Take one value where a list is expected (a form field named without ``[]``)."""
    return [value] if isinstance(value, str | int) else value


def _blank_is_none(value: Any) -> Any:
    """Read an empty form field as not given."""
    return None if value == "" else value


class StatusCreateIn(BaseModel):
    """``POST /api/v1/statuses``: unknown fields are ignored, as Mastodon ignores them."""

    model_config = ConfigDict(extra="ignore")

    status: str | None = None
    media_ids: list[SnowflakeIn] = Field(default_factory=list, max_length=100)
    in_reply_to_id: SnowflakeIn | None = None
    visibility: str | None = None
    sensitive: bool = False  # accepted; Glimpse has no sensitive media flag
    spoiler_text: str | None = None  # accepted; Glimpse has no content warning
    language: str | None = None  # accepted; Glimpse keeps no language per post
    scheduled_at: str | None = None
    poll: Any = None

    _media_ids = field_validator("media_ids", mode="before")(_listed)
    _blanks = field_validator(
        "in_reply_to_id", "visibility", "scheduled_at", "language", mode="before"
    )(_blank_is_none)


def _attribute_list(value: Any) -> Any:
    """Return ``media_attributes`` as a list of objects, however the form nested it.

    JSON sends a list; ``media_attributes[0][id]`` reads as an object by index; Rails'
    ``media_attributes[][id]`` reads as one object of lists (or of single values).
    """
    if not isinstance(value, dict):
        return value
    if set(value) == {""} and isinstance(value[""], dict):
        columns = {key: _listed(column) for key, column in value[""].items()}
        count = max((len(column) for column in columns.values()), default=0)
        return [
            {key: column[i] for key, column in columns.items() if i < len(column)}
            for i in range(count)
        ]
    return [value[key] for key in sorted(value, key=lambda k: (len(k), k))]


class MediaAttributeIn(BaseModel):
    """One item of ``media_attributes``: a media item's new alt text and focal point."""

    model_config = ConfigDict(extra="ignore")

    id: SnowflakeIn
    description: str | None = None
    focus: str | None = None


class StatusEditIn(BaseModel):
    """``PUT /api/v1/statuses/:id``: fields left out keep their value."""

    model_config = ConfigDict(extra="ignore")

    status: str | None = None
    media_ids: list[SnowflakeIn] | None = Field(None, max_length=100)
    media_attributes: list[MediaAttributeIn] | None = Field(None, max_length=100)
    sensitive: bool | None = None
    spoiler_text: str | None = None
    language: str | None = None
    poll: Any = None

    _media_ids = field_validator("media_ids", mode="before")(_listed)
    _attributes = field_validator("media_attributes", mode="before")(_attribute_list)
