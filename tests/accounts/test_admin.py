"""The admin lists and edits accounts and tokens, and only staff get in."""

from __future__ import annotations

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create

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
