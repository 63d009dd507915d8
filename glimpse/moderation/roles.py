"""Who holds the moderator role: the active accounts granted ``moderation.moderate``, directly,
through a group, or as superusers.

The holders are few, so their ids are kept in the cache as one set: every page's navigation
asks without a query. The set is forgotten once any grant changes (the signals connected in
``ModerationConfig.ready``), and read again on the next question.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from glimpse.accounts.models import User

APP_LABEL, CODENAME = "moderation", "moderate"
CACHE_KEY = "moderation:moderator-ids"
CACHE_SECONDS = 3600  # a bound, should a grant change behind the ORM's back


def is_moderator(user: User | None) -> bool:
    """Tell whether an account holds the moderator role."""
    if user is None or not user.is_active:
        return False
    return user.is_superuser or user.pk in moderator_ids()


def moderator_ids() -> frozenset[int]:
    """Return the ids of the accounts granted the role (superusers aside), from the cache."""
    ids: frozenset[int] | None = cache.get(CACHE_KEY)
    if ids is None:
        right = Permission.objects.filter(codename=CODENAME, content_type__app_label=APP_LABEL)
        holders = User.objects.filter(
            Q(user_permissions__in=right) | Q(groups__permissions__in=right)
        )
        ids = frozenset(holders.values_list("pk", flat=True))
        cache.set(CACHE_KEY, ids, CACHE_SECONDS)
    return ids


def moderator_grant(*, user: User) -> bool:
    """Grant an account the moderator role directly; tell whether it was not granted before."""
    if user.user_permissions.filter(pk=_right().pk).exists():
        return False
    user.user_permissions.add(_right())  # the signal forgets the cached holders
    return True


def moderator_revoke(*, user: User) -> bool:
    """Take back the role granted directly; tell whether it was granted.

    A group's grant and a superuser's rights stay: ``is_moderator`` still says so.
    """
    if not user.user_permissions.filter(pk=_right().pk).exists():
        return False
    user.user_permissions.remove(_right())
    return True


def grants_changed(*, action: str = "post_delete", **_: Any) -> None:
    """Forget the holders when permissions or groups change, and again once that commits (a
    question asked in between would have cached the holders as they were before)."""
    if action.startswith("post_"):
        cache.delete(CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def _right() -> Permission:
    return Permission.objects.get(codename=CODENAME, content_type__app_label=APP_LABEL)
