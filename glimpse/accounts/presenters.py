"""An account as the API and the pages show it: one typed presenter, built from its card.

``AccountView`` is what every viewer sees of an account (posts, comments, lists, stories and
notifications name accounts with it); the API maps it with ``account_json``, adds the viewer's
relation with ``account_item_json`` and the profile's own fields with ``profile_json``; the
pages draw its round picture with ``avatar``. No query is made here except by
``account_views``, which reads the cached cards.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from glimpse.accounts.cards import AccountCard, account_card, account_cards
from glimpse.accounts.models import User


class AccountJson(TypedDict):
    id: str
    username: str
    display_name: str
    is_private: bool
    avatar: dict[str, str] | None


class AccountItemJson(AccountJson):
    viewer: dict[str, bool]


class ProfileJson(AccountJson):
    bio: str
    website: str
    follower_count: int
    following_count: int
    post_count: int
    created_at: datetime


class MeJson(ProfileJson):
    email: str


class ViewedProfileJson(ProfileJson):
    viewer: dict[str, bool]


class SessionJson(TypedDict):
    token: str  # the new token's secret, shown this once
    account: MeJson


class LoginJson(SessionJson):
    notice: str | None


@dataclass(frozen=True)
class Avatar:
    """What a template needs to draw an account's round picture, or its initial."""

    url: str | None
    initial: str
    hue: int
    label: str


@dataclass(frozen=True)
class AccountView:
    """An account as every viewer sees it."""

    id: int
    username: str
    display_name: str
    is_private: bool
    avatar_urls: dict[str, str] | None  # URLs by pixel size

    @property
    def name(self) -> str:
        """Return the name to show: the display name, or the username."""
        return self.display_name or self.username

    def avatar(self, size: int = 150) -> Avatar:
        """Return the picture to draw at this size, with an initial as fallback."""
        # A hue derived from the username, so an account without a picture keeps its colour.
        hue = zlib.crc32(self.username.encode()) % 360
        url = self.avatar_urls.get(str(size)) if self.avatar_urls else None
        label = f"{self.username}'s profile picture"
        return Avatar(url=url, initial=(self.name[:1] or "?").upper(), hue=hue, label=label)


def account_view(card: AccountCard) -> AccountView:
    """Return the presenter of an account card."""
    return AccountView(
        id=card.id,
        username=card.username,
        display_name=card.display_name,
        is_private=card.is_private,
        avatar_urls=card.avatar,
    )


def account_view_of(user: User) -> AccountView:
    """Return the presenter of an account row."""
    return account_view(account_card(user))


def account_views(ids: Iterable[int]) -> dict[int, AccountView]:
    """Return the presenters of these accounts by id, from their cached cards."""
    return {pk: account_view(card) for pk, card in account_cards(ids).items()}


def avatar_of(account: User | AccountView, size: int = 150) -> Avatar:
    """Return the avatar of an account at the given size, with an initial as fallback."""
    view = account if isinstance(account, AccountView) else account_view_of(account)
    return view.avatar(size)


def account_json(view: AccountView) -> AccountJson:
    """Return an account as the API names it in posts, comments, lists and stories."""
    return AccountJson(
        id=str(view.id),
        username=view.username,
        display_name=view.display_name,
        is_private=view.is_private,
        avatar=view.avatar_urls,
    )


def account_item_json(view: AccountView, *, relation: Mapping[str, bool]) -> AccountItemJson:
    """Return an account in a list, with the viewer's relation to it."""
    return AccountItemJson(**account_json(view), viewer=dict(relation))


def profile_json(user: User) -> ProfileJson:
    """Return a profile with its bio, website and counts."""
    return ProfileJson(
        **account_json(account_view_of(user)),
        bio=user.bio,
        website=user.website,
        follower_count=user.follower_count,
        following_count=user.following_count,
        post_count=user.post_count,
        created_at=user.date_joined,
    )


def me_json(user: User) -> MeJson:
    """Return the viewer's own profile, with its private settings."""
    return MeJson(**profile_json(user), email=user.email)
