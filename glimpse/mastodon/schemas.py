"""What the client API reads and answers, in Mastodon's names."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from glimpse.moderation.services import NOTE_MAX


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
    """``POST /api/v1/reports``: ``forward`` and ``rule_ids`` are ignored (every account is
    local, and Glimpse has no server rules)."""

    model_config = ConfigDict(extra="ignore")

    account_id: str | int
    # ``status_ids[]`` in a form; one id alone when a client sends a single plain field.
    status_ids: list[str | int] | str | int = Field(default_factory=list)
    comment: str = Field("", max_length=NOTE_MAX)
    category: Literal["spam", "legal", "violation", "other"] = "other"
