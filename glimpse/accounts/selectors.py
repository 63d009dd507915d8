"""Reads of accounts that need no viewer: avatars and tokens.

What a viewer may see of other accounts is decided by graph, which owns blocks: its
selectors answer the profile lookups (``graph.selectors.account_get``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from glimpse.accounts import avatars
from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.tokens import token_digest
from glimpse.core.prepared import PreparedQuery


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
    """Return the active token with this secret, with its account, or None.

    Every API request asks, so the statement is compiled once (``PreparedQuery``) and the
    token and its account are made from its one row.
    """
    rows = _TOKEN_WITH_ACCOUNT.rows(digest=token_digest(secret))
    if not rows:
        return None
    token_columns = len(_TOKEN_FIELDS)
    token = ApiToken.from_db("default", _TOKEN_FIELDS, rows[0][:token_columns])
    token.user = User.from_db("default", _USER_FIELDS, rows[0][token_columns:])
    return token


_TOKEN_FIELDS = [field.attname for field in ApiToken._meta.concrete_fields]
_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]


def _token_with_account_query(*, digest: str) -> QuerySet[ApiToken, Any]:
    return ApiToken.objects.filter(
        digest=digest, revoked_at__isnull=True, user__is_active=True
    ).values_list(*_TOKEN_FIELDS, *(f"user__{name}" for name in _USER_FIELDS))


_TOKEN_WITH_ACCOUNT = PreparedQuery(_token_with_account_query)
