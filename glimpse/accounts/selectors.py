"""Every read of accounts, scoped to the viewer."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from glimpse.accounts import avatars
from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.tokens import token_digest
from glimpse.accounts.validators import possible_username
from glimpse.core.errors import NotFound
from glimpse.graph.visibility import accounts_visible_to


def account_get(*, viewer: User | None, username: str) -> User:
    """Return the account with this username as the viewer may see it, or raise NotFound."""
    # The policy keeps active accounts only, and hides a blocked pair from each other.
    name = possible_username(username)
    if name is None:
        raise NotFound("No account with this username.")  # e.g. a NUL byte: not a name at all
    user = User.objects.filter(accounts_visible_to(viewer), username__iexact=name).first()
    if user is None:
        raise NotFound("No account with this username.")
    return user


def account_newest(*, viewer: User | None, limit: int = 12) -> QuerySet[User]:
    """Return the most recently joined accounts the viewer may see, without the viewer."""
    # Ids sort by the millisecond only; the join time breaks ties within one.
    accounts = User.objects.filter(accounts_visible_to(viewer)).order_by("-date_joined", "-id")
    if viewer is not None:
        accounts = accounts.exclude(pk=viewer.pk)
    return accounts[:limit]


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
