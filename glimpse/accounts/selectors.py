"""Reads of accounts that need no viewer: avatars and tokens.

What a viewer may see of other accounts is decided by graph, which owns blocks: its
selectors answer the profile lookups (``graph.selectors.account_get``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from glimpse.accounts import avatars
from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.tokens import token_digest


def avatar_urls(user: User) -> dict[str, str] | None:
    """Return the URL of each avatar size by size, or None when there is no avatar."""
    if not user.avatar_version:
        return None
    return {
        str(size): default_storage.url(avatars.avatar_path(user.id, user.avatar_version, size))
        for size in settings.GLIMPSE_AVATAR_SIZES
    }


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """Return the account's active tokens, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-id")


def token_find(*, secret: str) -> ApiToken | None:
    """Return the active token with this secret, with its account, or None."""
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
