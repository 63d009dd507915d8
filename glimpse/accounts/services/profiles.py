"""A profile and its picture: the fields people see, checked, and the avatar."""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from glimpse.accounts import avatars
from glimpse.accounts.cards import account_cards_forget_on_commit
from glimpse.accounts.models import User
from glimpse.accounts.validators import (
    display_name_problems,
)
from glimpse.core.errors import (
    InvalidInput,
)
from glimpse.core.event_bus import publish
from glimpse.core.events import (
    AccountMadePrivate,
    AccountMadePublic,
    AccountUpdated,
)
from glimpse.core.ratelimit import upload_rate_hit


def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    bio: str | None = None,
    website: str | None = None,
    is_private: bool | None = None,
) -> User:
    """Change the given profile fields; fields left as None keep their value."""
    problems: dict[str, list[str]] = {}
    changes: dict[str, object] = {}
    given = (
        ("display_name", display_name, _display_name_clean),
        ("bio", bio, _bio_clean),
        ("website", website, _website_clean),
    )
    for field, raw, clean in given:
        if raw is None:
            continue
        changes[field], found = clean(raw)
        if found:
            problems[field] = found
    if is_private is not None:
        changes["is_private"] = is_private
    if problems:
        raise InvalidInput(fields=problems)
    for field, value in changes.items():
        setattr(user, field, value)
    if changes:
        _profile_save(user=user, changes=changes)
    return user


def avatar_set(
    *, user: User, upload: IO[bytes], size_bytes: int, crop: object | None = None
) -> User:
    """Replace the account's profile picture with a checked, metadata-free square.

    ``crop`` (``x``, ``y``, ``width``, ``height`` and ``rotation``, as the composer's crop)
    chooses the square; without it the centred square is taken.
    """
    square = avatars.avatar_crop_from(crop)
    # Counted before anything is decoded, in the same limit as media uploads.
    upload_rate_hit(account_id=user.pk)
    rendered = avatars.avatar_render(upload, size_bytes=size_bytes, crop=square)
    old_version = user.avatar_version
    version = avatars.avatar_store(user.id, rendered)
    with transaction.atomic():
        user.avatar_version = version
        user.save(update_fields=["avatar_version"])
        account_cards_forget_on_commit(user.pk)
        publish(AccountUpdated(account_id=user.pk))
    if old_version:
        transaction.on_commit(lambda: avatars.avatar_delete_files(user.id, old_version))
    return user


def avatar_remove(*, user: User) -> User:
    """Remove the account's profile picture."""
    old_version = user.avatar_version
    if old_version:
        with transaction.atomic():
            user.avatar_version = ""
            user.save(update_fields=["avatar_version"])
            account_cards_forget_on_commit(user.pk)
            publish(AccountUpdated(account_id=user.pk))
        transaction.on_commit(lambda: avatars.avatar_delete_files(user.id, old_version))
    return user


def _display_name_clean(display_name: str) -> tuple[str, list[str]]:
    """Return the trimmed display name and what is wrong with it."""
    display_name = display_name.strip()
    return display_name, display_name_problems(display_name)


def _bio_clean(bio: str) -> tuple[str, list[str]]:
    """Return the trimmed bio and what is wrong with it."""
    bio = bio.strip()
    if len(bio) > settings.GLIMPSE_BIO_MAX:
        return bio, [f"A bio has at most {settings.GLIMPSE_BIO_MAX} characters."]
    return bio, []


def _website_clean(website: str) -> tuple[str, list[str]]:
    """Return the trimmed web address, https:// added when it has no scheme, and its problems."""
    website = website.strip()
    if not website:
        return website, []
    if "://" not in website:
        website = f"https://{website}"
    try:
        URLValidator(schemes=["http", "https"])(website)
    except ValidationError:
        return website, ["Enter a web address such as https://example.com."]
    return website, []


def _profile_save(*, user: User, changes: dict[str, object]) -> None:
    """Save the changed fields of a profile already set on ``user``."""
    with transaction.atomic():
        user.save(update_fields=list(changes))
        account_cards_forget_on_commit(user.pk)
        publish(AccountUpdated(account_id=user.pk))
        if changes.get("is_private") is False:
            # A public account has no requests: the graph approves every pending one.
            publish(AccountMadePublic(account_id=user.pk))
        elif changes.get("is_private") is True:
            publish(AccountMadePrivate(account_id=user.pk))
