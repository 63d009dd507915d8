"""The admin lists and edits accounts and tokens, and only staff get in."""

from __future__ import annotations

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user) -> Client:
    admin = make_user("boss", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def test_admin_lists_and_searches_accounts(admin_client: Client, make_user) -> None:
    make_user("findme")
    response = admin_client.get("/admin/accounts/user/?q=findme")
    assert response.status_code == 200
    assert b"findme" in response.content


def test_admin_opens_an_account_and_its_tokens(admin_client: Client, user: User) -> None:
    token_create(user=user, name="laptop")
    assert admin_client.get(f"/admin/accounts/user/{user.pk}/change/").status_code == 200
    tokens = admin_client.get("/admin/accounts/apitoken/")
    assert tokens.status_code == 200
    assert b"laptop" in tokens.content


def test_non_staff_accounts_are_sent_to_the_admin_login(user: User) -> None:
    client = Client()
    client.force_login(user)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_log_in_is_the_sites_own(make_user) -> None:
    boss = make_user("boss", is_staff=True, is_superuser=True)
    client = Client()

    sent = client.get("/admin/login/?next=/admin/accounts/user/")

    assert sent.status_code == 302
    assert sent["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    answer = client.post(
        "/accounts/login/",
        {"login": "boss", "password": PASSWORD, "next": "/admin/accounts/user/"},
    )
    assert answer["Location"] == "/admin/accounts/user/"
    assert client.session["_auth_user_id"] == str(boss.pk)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_credentials_posted_to_the_admin_log_in_open_nothing(make_user) -> None:
    make_user("boss", is_staff=True, is_superuser=True)
    client = Client()

    answer = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})

    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_admin_log_in_is_limited_like_every_other(make_user, settings) -> None:
    boss = make_user("boss", is_staff=True, is_superuser=True)
    limit, _ = settings.GLIMPSE_RATE_LOGIN_FAILURES
    stranger = Client(REMOTE_ADDR="198.51.100.10")
    for n in range(limit):
        body = {"login": "boss", "password": f"guess-{n}", "next": "/admin/"}
        assert stranger.post("/accounts/login/", body).status_code == 400
        assert "_auth_user_id" not in stranger.session

    body = {"login": "boss", "password": PASSWORD, "next": "/admin/"}
    refused = stranger.post("/accounts/login/", body)

    assert "Too many attempts" in refused.content.decode()
    assert "_auth_user_id" not in stranger.session
    assert stranger.get("/admin/accounts/user/").status_code == 302
    # ... and the owner, from elsewhere, still gets in.
    owner = Client(REMOTE_ADDR="203.0.113.20")
    answer = owner.post("/accounts/login/", body)
    assert answer["Location"] == "/admin/"
    assert owner.session["_auth_user_id"] == str(boss.pk)


def test_the_admin_still_refuses_accounts_that_are_not_staff(user: User) -> None:
    client = Client()
    client.post("/accounts/login/", {"login": "ana", "password": PASSWORD, "next": "/admin/"})
    assert client.session["_auth_user_id"] == str(user.pk)

    answer = client.get("/admin/", follow=True)

    assert answer.status_code == 200
    assert "not authorized to access this page" in answer.content.decode()
    assert client.get("/admin/accounts/user/").status_code == 302
