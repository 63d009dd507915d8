"""Accounts of other servers: the ``User`` rows federation keeps for them, written here so
that every write to accounts stays in this app.

Such an account is named ``name@host`` (which local sign-up refuses: ``@`` is no username
character), has no usable password and no real email, so it can never log in nor receive
mail. Its profile comes from its server as it is, clipped to the columns' sizes rather than
checked against the rules a person typing it here would meet.
"""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.db import transaction

from glimpse.accounts import avatars
from glimpse.accounts.cards import account_cards_forget_on_commit
from glimpse.accounts.models import User, domain_of

# A reserved top-level domain (RFC 2606): nothing sent there is ever delivered.
PLACEHOLDER_EMAIL_DOMAIN = "remote.invalid"
ELLIPSIS = "…"


def remote_account_create(
    *, username: str, display_name: str, bio: str, is_private: bool, remote_url: str
) -> User:
    """Create the account of another server's actor, which can never log in."""
    user = User(
        username=username,
        domain=domain_of(username),
        remote_url=remote_url,
        # The column is unique and required: a random, undeliverable address fills it.
        email=f"{secrets.token_hex(16)}@{PLACEHOLDER_EMAIL_DOMAIN}",
        display_name=_clip(display_name, settings.GLIMPSE_DISPLAY_NAME_MAX),
        bio=_clip(bio, settings.GLIMPSE_BIO_MAX),
        is_private=is_private,
    )
    user.set_unusable_password()
    user.save(force_insert=True)
    return user


def remote_account_update(
    *, user: User, display_name: str, bio: str, is_private: bool, remote_url: str
) -> bool:
    """Bring a remote account's profile up to date; tell whether anything changed.

    No follow request is approved or refused here when the account turns public or private:
    its own server decides on them, and says so.
    """
    wanted = {
        "display_name": _clip(display_name, settings.GLIMPSE_DISPLAY_NAME_MAX),
        "bio": _clip(bio, settings.GLIMPSE_BIO_MAX),
        "is_private": is_private,
        "remote_url": remote_url,
    }
    changed = [field for field, value in wanted.items() if getattr(user, field) != value]
    if not changed:
        return False
    for field in changed:
        setattr(user, field, wanted[field])
    with transaction.atomic():
        user.save(update_fields=changed)
        account_cards_forget_on_commit(user.pk)
    return True


def remote_account_rename(*, user: User, username: str) -> None:
    """Give a remote account another ``name@host`` (its server gave its name to another)."""
    user.username = username
    user.domain = domain_of(username)
    with transaction.atomic():
        user.save(update_fields=["username", "domain"])
        account_cards_forget_on_commit(user.pk)


def remote_avatar_set(*, user: User, data: bytes, source: str) -> None:
    """Make a remote account's avatar of a picture fetched from ``source``, as an upload's.

    The bytes go through the checks, sizes and metadata stripping of a local upload
    (``InvalidInput``, ``PayloadTooLarge`` or ``UnsupportedMediaType`` when refused); the
    upload limit of people does not apply, as nobody here uploaded it.
    """
    rendered = avatars.avatar_render(io.BytesIO(data), size_bytes=len(data))
    old_version = user.avatar_version
    version = avatars.avatar_store(user.pk, rendered)
    _avatar_save(user=user, version=version, source=source, old_version=old_version)


def remote_avatar_clear(*, user: User) -> None:
    """Give a remote account the default avatar (its picture removed, or not fetched)."""
    if user.avatar_version or user.avatar_source:
        _avatar_save(user=user, version="", source="", old_version=user.avatar_version)


def _avatar_save(*, user: User, version: str, source: str, old_version: str) -> None:
    """Save an avatar version and where it came from; delete the old files once committed."""
    user.avatar_version = version
    user.avatar_source = source
    with transaction.atomic():
        user.save(update_fields=["avatar_version", "avatar_source"])
        account_cards_forget_on_commit(user.pk)
        if old_version:
            pk = user.pk
            transaction.on_commit(lambda: avatars.avatar_delete_files(pk, old_version))


def _clip(text: str, limit: int) -> str:
    """Return the text trimmed, cut to ``limit`` characters with an ellipsis when longer."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS
