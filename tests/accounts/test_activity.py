"""An account is active unless banned, suspended for now, or waiting for its deletion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services import account_activity_refresh

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


@pytest.mark.parametrize(
    ("state", "value"),
    [
        ("banned_at", timedelta(0)),
        ("suspended_until", timedelta(days=3)),
        ("deletion_requested_at", timedelta(0)),
    ],
)
def test_each_state_makes_the_account_inactive(
    make_user: MakeUser, state: str, value: timedelta
) -> None:
    user = make_user("ana")
    setattr(user, state, timezone.now() + value)
    account_activity_refresh(user=user)
    assert User.objects.get(pk=user.pk).is_active is False


def test_a_suspension_in_the_past_leaves_the_account_active(make_user: MakeUser) -> None:
    user = make_user("ana")
    user.suspended_until = timezone.now() - timedelta(seconds=1)
    account_activity_refresh(user=user)
    assert User.objects.get(pk=user.pk).is_active is True


def test_clearing_the_last_state_makes_it_active_again(make_user: MakeUser) -> None:
    user = make_user("ana")
    user.banned_at = timezone.now()
    user.deletion_requested_at = timezone.now()
    account_activity_refresh(user=user)
    user.banned_at = None
    account_activity_refresh(user=user)
    assert User.objects.get(pk=user.pk).is_active is False  # the deletion still waits
    user.deletion_requested_at = None
    account_activity_refresh(user=user)
    assert User.objects.get(pk=user.pk).is_active is True
