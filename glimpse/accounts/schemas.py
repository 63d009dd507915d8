"""The JSON shapes of accounts in the API."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from glimpse.accounts.models import ApiToken


class AccountOut(Schema):
    """A public profile."""

    id: str
    username: str
    display_name: str
    bio: str
    website: str
    is_private: bool
    avatar: dict[str, str] | None = Field(description="Avatar URLs by pixel size, or null.")
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime


class MeOut(AccountOut):
    """The viewer's own profile, with private settings."""

    email: str


class ViewerRelation(Schema):
    """The viewer's relation to an account; all false for anonymous callers."""

    is_self: bool
    following: bool = Field(description="The viewer follows this account (approved).")
    requested: bool = Field(description="The viewer asked to follow it; not yet approved.")
    followed_by: bool = Field(description="This account follows the viewer.")
    blocking: bool = Field(description="The viewer blocked this account.")
    muting: bool = Field(description="The viewer muted this account.")


class ProfileOut(AccountOut):
    """A profile as seen by a viewer."""

    viewer: ViewerRelation = Field(description="The viewer's relation to this account.")


class SignupIn(Schema):
    username: str = Field(max_length=200)
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)


class LoginIn(Schema):
    username: str = Field(max_length=254, description="Username or email address.")
    password: str = Field(max_length=4096)
    token_name: str = Field("API token", max_length=64)
    otp: str | None = Field(
        None,
        max_length=32,
        description="With two-factor sign-in on: a code from the authenticator app, or a "
        "recovery code. Without it such an account is refused (403 `two_factor_required`).",
    )


class SessionOut(Schema):
    """A new token (shown once) and the account it opens."""

    token: str
    account: MeOut


class LoginOut(SessionOut):
    """A new token and its account, with what to tell the person, if anything."""

    notice: str | None = Field(
        None, description='Set when logging in cancelled a scheduled deletion ("Welcome back…").'
    )


class ProfilePatch(Schema):
    display_name: str | None = Field(None, max_length=1000)
    bio: str | None = Field(None, max_length=10_000)
    website: str | None = Field(None, max_length=1000)
    is_private: bool | None = None


class PasswordChangeIn(Schema):
    current_password: str = Field(max_length=4096)
    new_password: str = Field(max_length=4096)


class PasswordIn(Schema):
    password: str = Field(max_length=4096)


class PasswordResetIn(Schema):
    email: str = Field(max_length=254)


class PasswordResetConfirmIn(Schema):
    uid: str = Field(max_length=64)
    token: str = Field(max_length=128)
    new_password: str = Field(max_length=4096)


class TokenIn(Schema):
    name: str = Field(max_length=64)


class TokenOut(Schema):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None

    @staticmethod
    def resolve_id(obj: ApiToken) -> str:
        return str(obj.id)


class TokenCreatedOut(Schema):
    """A new token with its secret, which is shown only this once."""

    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    token: str = Field(description="The secret; shown only this once.")


class TokenListOut(Schema):
    items: list[TokenOut]
    next_max_id: str | None
