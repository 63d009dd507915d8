"""The moderators' sanctions on an account: a suspension that ends by itself, and a ban."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services import account_ban, account_suspend, account_suspensions_end

pytestmark = pytest.mark.django_db


def test_a_suspension_makes_the_account_inactive_until_it_ends(make_user) -> None:
    user, other = make_user("sam"), make_user("other")
    until = timezone.now() + timedelta(days=3)
    assert account_suspend(user=user, until=until).is_active is False
    stored = User.objects.get(pk=user.pk)
    assert (stored.is_active, stored.suspended_until) == (False, until)
    assert account_suspensions_end() == 0  # not over yet
    User.objects.filter(pk=user.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    assert account_suspensions_end() == 1
    assert User.objects.get(pk=user.pk).is_active
    assert User.objects.get(pk=other.pk).is_active  # nobody else was touched
    assert account_suspensions_end() == 0  # twice is fine


def test_a_ban_lasts_past_a_suspensions_end(make_user) -> None:
    user = make_user("sam")
    account_suspend(user=user, until=timezone.now() + timedelta(days=1))
    assert account_ban(user=user).is_active is False
    assert User.objects.get(pk=user.pk).banned_at is not None
    User.objects.filter(pk=user.pk).update(suspended_until=timezone.now() - timedelta(days=1))
    assert account_suspensions_end() == 0
    assert not User.objects.get(pk=user.pk).is_active
