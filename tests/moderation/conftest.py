"""Fixtures for moderation: moderators, reports, and a snapshot of every moderation row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.graph.models import HiddenContent
from glimpse.media.models import MediaBlock
from glimpse.moderation import services
from glimpse.moderation.models import Case, ModerationAction, Report
from tests.graph.conftest import api_as, web_as
from tests.posts.conftest import client_for, media_for, publish

__all__ = ["api_as", "client_for", "media_for", "publish", "web_as"]


@pytest.fixture
def moderator(make_user: Callable[..., User]) -> User:
    """An account holding the moderator permission, granted as the admin would."""
    mod = make_user("mod")
    mod.user_permissions.add(Permission.objects.get(codename="moderate"))
    return User.objects.get(pk=mod.pk)  # a fresh object: permissions are cached per object


@pytest.fixture
def established(make_user: Callable[..., User]) -> Callable[..., User]:
    """Make accounts old enough (30 days) for their reports to count towards hiding."""

    def make(username: str | None = None) -> User:
        return make_user(username, date_joined=timezone.now() - timedelta(days=30))

    return make


def report(reporter: User, target_type: str, target_id: int, reason: str = "spam") -> Report:
    return services.report_create(
        reporter=reporter, target_type=target_type, target_id=target_id, reason=reason
    )


def snapshot() -> dict[str, Any]:
    """Return every moderation row and the accounts' states, which a refusal leaves alone."""
    state: dict[str, Any] = {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (Case, Report, ModerationAction, MediaBlock, HiddenContent)
    }
    state["accounts"] = sorted(
        User.objects.values_list("pk", "is_active", "suspended_until", "banned_at")
    )
    return state
