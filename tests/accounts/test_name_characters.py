"""Usernames and display names refuse direction overrides and invisible characters, with a
clear message, on the API and the web pages; real names in any script still pass."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.core.text import INVISIBLE_MESSAGE
from tests.conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db

HIDDEN = [
    "\u202e",  # right-to-left override
    "\u202a",  # left-to-right embedding
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
    "\u200b",  # zero-width space
    "\u200f",  # right-to-left mark
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u061c",  # Arabic letter mark
]
# For usernames (ASCII only) the joiners are refused too.
HIDDEN_IN_USERNAMES = [*HIDDEN, "\u200c", "\u200d"]


@pytest.mark.parametrize("char", HIDDEN_IN_USERNAMES)
def test_api_signup_refuses_a_username_with_a_hidden_character(anon: ApiClient, char: str) -> None:
    response = anon.post(
        "auth/signup", {"username": f"ana{char}lima", "email": "a@x.org", "password": PASSWORD}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["username"] == [INVISIBLE_MESSAGE]
    assert User.objects.count() == 0


@pytest.mark.parametrize("char", HIDDEN)
def test_api_profile_refuses_a_display_name_with_a_hidden_character(
    api: ApiClient, user: User, char: str
) -> None:
    response = api.patch("accounts/me", {"display_name": f"Ana{char}Lima", "bio": "new"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["display_name"] == [INVISIBLE_MESSAGE]
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Ana Lima", "")


@pytest.mark.parametrize(
    "name", ["José Ñúñez", "أحمد", "نرگس\u200cمحمدی", "Ana \U0001f469\u200d\U0001f4bb", "李小龍"]
)
def test_real_names_in_any_script_still_pass(api: ApiClient, user: User, name: str) -> None:
    response = api.patch("accounts/me", {"display_name": name})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.display_name == name


def test_web_profile_edit_shows_the_message_on_the_field(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Ana\u202eLima", "bio": "", "website": ""},
    )
    assert response.status_code == 422
    assert INVISIBLE_MESSAGE in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Ana Lima"


def test_web_signup_shows_the_message_on_the_field(client: Client, db: None) -> None:
    response = client.post(
        reverse("accounts:signup"),
        {"username": "ana\u200blima", "email": "a@x.org", "password": PASSWORD},
    )
    assert response.status_code == 422
    assert INVISIBLE_MESSAGE in response.content.decode()
    assert User.objects.count() == 0
