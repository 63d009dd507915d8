"""Logging in to a banned or suspended account is refused with a clear message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.services import account_activity_refresh
from tests.conftest import PASSWORD
from tests.privacy.conftest import web_as

pytestmark = pytest.mark.django_db


def set_state(user: User, **state: object) -> None:
    """Give the account a moderation state, as the moderation services do."""
    for field, value in state.items():
        setattr(user, field, value)
    user.save(update_fields=list(state))
    account_activity_refresh(user=user)


def web_login(password: str = PASSWORD):
    """Post the log-in form for ana."""
    return web_as(None).post(reverse("accounts:login"), {"login": "ana", "password": password})


def test_a_banned_account_is_told_so_in_the_api_and_on_the_web(make_user, anon) -> None:
    ana = make_user("ana")
    set_state(ana, banned_at=timezone.now())
    answer = anon.post("auth/token", {"username": "ana", "password": PASSWORD})
    assert answer.status_code == 403
    assert answer.json()["error"] == {
        "code": "banned",
        "message": "This account was banned.",
        "fields": {},
    }
    page = web_login()
    assert page.status_code == 403
    assert "This account was banned." in page.content.decode()
    assert "_auth_user_id" not in page.client.session
    assert not ApiToken.objects.filter(user=ana).exists()


def test_a_suspended_account_is_told_until_when(make_user, anon) -> None:
    ana = make_user("ana")
    until = timezone.now() + timedelta(days=3)
    set_state(ana, suspended_until=until)
    expected = f"This account is suspended until {until:%B %-d, %Y at %H:%M} UTC."
    answer = anon.post("auth/token", {"username": "ana", "password": PASSWORD})
    assert answer.status_code == 403
    assert answer.json()["error"]["message"] == expected
    assert answer.json()["error"]["code"] == "suspended"
    page = web_login()
    assert page.status_code == 403
    assert expected in page.content.decode()
    assert not ApiToken.objects.filter(user=ana).exists()


def test_a_wrong_password_does_not_reveal_a_ban(make_user, anon) -> None:
    ana = make_user("ana")
    set_state(ana, banned_at=timezone.now())
    banned = anon.post("auth/token", {"username": "ana", "password": "not-it"})
    unknown = anon.post("auth/token", {"username": "nobody", "password": "not-it"})
    assert banned.status_code == unknown.status_code == 401
    assert banned.json() == unknown.json()
    assert "banned" not in web_login("not-it").content.decode()


def test_an_ended_suspension_lets_the_account_in_again(make_user, anon) -> None:
    ana = make_user("ana")
    set_state(ana, suspended_until=timezone.now() + timedelta(days=1))
    User.objects.filter(pk=ana.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    answer = anon.post("auth/token", {"username": "ana", "password": PASSWORD})
    assert answer.status_code == 200
    ana.refresh_from_db()
    assert ana.is_active is True


def test_failed_log_ins_are_still_limited(make_user, anon, settings) -> None:
    make_user("ana")
    limit, _ = settings.GLIMPSE_RATE_LOGIN_FAILURES
    for _ in range(limit):
        assert anon.post("auth/token", {"username": "ana", "password": "no"}).status_code == 401
    blocked = anon.post("auth/token", {"username": "ana", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked["Retry-After"]
    assert web_login().status_code == 429


def test_the_log_in_answers_are_documented(anon) -> None:
    document = anon.get("openapi.json").json()
    login = document["paths"]["/api/glimpse/v1/auth/token"]["post"]["responses"]
    assert {"200", "400", "401", "403", "409", "422", "429"} == set(login)
    paths = document["paths"]
    assert set(paths["/api/glimpse/v1/accounts/me/export"]["post"]["responses"]) == {
        "202",
        "400",
        "401",
        "403",
        "429",
    }
    assert set(paths["/api/glimpse/v1/accounts/me/export"]["get"]["responses"]) == {
        "200",
        "400",
        "401",
        "404",
    }
    assert set(paths["/api/glimpse/v1/accounts/me/delete"]["post"]["responses"]) == {
        "202",
        "400",
        "401",
        "403",
        "422",
    }
