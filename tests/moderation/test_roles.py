"""Who holds the moderator role: asked on every page without a query, and current as soon as a
grant changes (directly, through a group, or by a group losing the right)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.moderation.roles import is_moderator

pytestmark = pytest.mark.django_db

MODERATE = {"codename": "moderate", "content_type__app_label": "moderation"}


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _nav_links_moderation(user: User) -> bool:
    client = Client()
    client.force_login(user)
    return f'href="{reverse("moderation:queue")}"' in client.get(reverse("home")).content.decode()


def test_a_direct_grant_and_its_removal_count_at_once(make_user: Callable[..., User]) -> None:
    person = make_user("person")
    assert not is_moderator(person)  # the holders are now cached
    person.user_permissions.add(Permission.objects.get(**MODERATE))
    assert is_moderator(_fresh(person))
    person.user_permissions.clear()
    assert not is_moderator(_fresh(person))


def test_a_group_grant_counts_at_once_and_so_does_the_group_losing_the_right(
    make_user: Callable[..., User],
) -> None:
    person, team = make_user("person"), Group.objects.create(name="moderators")
    person.groups.add(team)
    assert not is_moderator(person)
    team.permissions.add(Permission.objects.get(**MODERATE))
    assert is_moderator(_fresh(person))
    team.permissions.remove(Permission.objects.get(**MODERATE))
    assert not is_moderator(_fresh(person))
    team.permissions.add(Permission.objects.get(**MODERATE))
    assert is_moderator(_fresh(person))
    team.delete()
    assert not is_moderator(_fresh(person))


def test_superusers_moderate_and_inactive_accounts_do_not(
    make_user: Callable[..., User], moderator: User
) -> None:
    assert is_moderator(make_user("chief", is_superuser=True))
    assert is_moderator(moderator)
    moderator.is_active = False
    assert not is_moderator(moderator)
    assert not is_moderator(None)


def test_the_navigation_shows_moderators_their_queue_without_a_permission_query(
    make_user: Callable[..., User], moderator: User
) -> None:
    assert _nav_links_moderation(moderator)
    assert not _nav_links_moderation(make_user("stranger"))
    client = Client()
    client.force_login(moderator)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    assert not [q["sql"] for q in captured if "auth_permission" in q["sql"]]
