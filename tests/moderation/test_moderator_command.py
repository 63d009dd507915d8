"""`manage.py moderator <username> [--remove]` grants and takes back the role; the demo data
has a moderator."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client

from glimpse.accounts.demo import DEMO_MODERATOR, DEMO_PASSWORD
from glimpse.accounts.models import User
from glimpse.moderation.roles import is_moderator

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("moderator", *args, stdout=out)
    return out.getvalue()


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def holds_directly(user: User) -> bool:
    return user.user_permissions.filter(codename="moderate").exists()


def test_grant_then_remove(make_user: Callable[..., User]) -> None:
    person = make_user("rosa")
    assert not is_moderator(person)  # the holders are now cached without her
    assert "@rosa is now a moderator" in run("rosa")
    assert holds_directly(person)
    assert is_moderator(fresh(person))  # the cached holders were forgotten
    assert "was already a moderator" in run("@Rosa")
    assert person.user_permissions.count() == 1
    assert "@rosa is no longer a moderator" in run("rosa", "--remove")
    assert not holds_directly(person)
    assert not is_moderator(fresh(person))
    assert "was not made a moderator here" in run("rosa", "--remove")


def test_the_moderator_sees_the_queue_and_then_no_longer(make_user: Callable[..., User]) -> None:
    person = make_user("rosa")
    client = Client()
    client.force_login(person)
    assert client.get("/moderation/").status_code == 404
    run("rosa")
    page = client.get("/moderation/")
    assert page.status_code == 200
    assert 'href="/moderation/"' in client.get("/accounts/menu/").content.decode()
    run("rosa", "--remove")
    assert client.get("/moderation/").status_code == 404


def test_removing_says_when_a_group_still_grants_the_role(make_user: Callable[..., User]) -> None:
    person = make_user("rosa")
    group = Group.objects.create(name="moderators")
    group.permissions.add(Permission.objects.get(codename="moderate"))
    person.groups.add(group)
    run("rosa")
    out = run("rosa", "--remove")
    assert "still moderates through a group" in out
    assert is_moderator(fresh(person))


def test_an_unknown_account_is_an_error_and_changes_nothing(
    make_user: Callable[..., User],
) -> None:
    person = make_user("rosa")
    with pytest.raises(CommandError, match="No account is named 'nobody'"):
        run("nobody")
    assert not holds_directly(person)
    assert not Permission.objects.get(codename="moderate").user_set.exists()


@pytest.mark.django_db(transaction=True)  # the demo's media jobs run after each commit
def test_the_demo_data_has_a_moderator() -> None:
    call_command("seed_demo", stdout=StringIO())
    moderator = User.objects.get(username=DEMO_MODERATOR)
    assert is_moderator(moderator)
    assert moderator.check_password(DEMO_PASSWORD)
    assert not is_moderator(User.objects.get(username="ana.lima"))
    out = StringIO()
    call_command("seed_demo", stdout=out)  # a second run keeps what is there
    assert "made a moderator" not in out.getvalue()
    assert is_moderator(fresh(moderator))
