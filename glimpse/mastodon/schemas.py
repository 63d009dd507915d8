"""What the client API reads and answers, in Mastodon's names."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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
