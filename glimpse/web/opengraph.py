"""The link preview of a profile: only for an account anyone may see (active and public)."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.accounts.presenters import avatar_of
from glimpse.core.opengraph import OpenGraph, absolute_url, excerpt
from glimpse.graph import visibility

AVATAR_SIZE = 320
APP_ICON = "icons/icon-512.png"


def profile_open_graph(*, account: User) -> OpenGraph | None:
    """Return the link preview of a profile, or None when its content is not public."""
    if not visibility.content_visible(None, account):
        return None
    name = f"{account.name} (@{account.username})"
    counts = (
        f"{_count(account.follower_count, 'follower')}, "
        f"{account.following_count:,} following, {_count(account.post_count, 'post')}"
    )
    about = excerpt(account.bio) if account.bio else f"See photos and videos from {name}."
    avatar = avatar_of(account, AVATAR_SIZE).url
    return OpenGraph(
        type="profile",
        title=f"{name} on Glimpse",
        description=f"{counts} · {about}",
        url=absolute_url(reverse("profile", args=[account.username])),
        # The picture's lasting address (a redirect to its signed URL, which expires).
        image=absolute_url(
            reverse("profile_picture", args=[account.username]) if avatar else static(APP_ICON)
        ),
        image_alt=f"{account.username}'s profile picture" if avatar else "",
        # A profile picture is small and square: the summary card shows it beside the text.
        card="summary",
    )


def profile_picture_url(*, account: User) -> str | None:
    """Return the current (signed, expiring) address of a public profile's picture, if any."""
    if not visibility.content_visible(None, account):
        return None
    return avatar_of(account, AVATAR_SIZE).url or None


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
