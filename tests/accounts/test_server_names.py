"""Usernames and this server's name: sign-up refuses the host name (the instance's actor is
``acct:<host>@<host>``), and a name of another server's account (``name@host``) is one an
account can bear, which finds it, while no local name may take that shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import resolve, reverse

from glimpse.accounts.models import User
from glimpse.accounts.services import signup_problems
from glimpse.accounts.validators import possible_username
from tests.conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("site", ["https://glimpse.example", "https://Glimpse.Example:8443"])
def test_sign_up_refuses_the_host_name_of_this_server(settings: Any, site: str) -> None:
    settings.GLIMPSE_SITE_URL = site
    problems = signup_problems(username="glimpse.example", email="g@example.com", password=PASSWORD)
    assert problems["username"] == ["This username is reserved. Choose another one."]
    # A name that only looks like it is free.
    near = signup_problems(username="glimpse.examples", email="g@example.com", password=PASSWORD)
    assert "username" not in near


def test_sign_up_refuses_the_host_the_request_reached_without_a_site_address(
    settings: Any, anon: ApiClient
) -> None:
    settings.GLIMPSE_SITE_URL = ""
    # The test client's requests reach the host "testserver".
    body = {"username": "testserver", "email": "t@example.com", "password": PASSWORD}
    response = anon.post("auth/signup", body)
    assert response.status_code == 422
    assert "reserved" in response.json()["error"]["fields"]["username"][0]
    assert not User.objects.exists()
    allowed = anon.post("auth/signup", {**body, "username": "testservers"})
    assert allowed.status_code == 201


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Alice@Remote.Example", "alice@remote.example"),
        ("al-ice_2.x@social.example:8443", "al-ice_2.x@social.example:8443"),
        ("alice@remote.example~2", "alice@remote.example~2"),
        ("alice@remote example", None),
        ("alice@remote.example/x", None),
        ("alice@@remote.example", None),
        ("alice@remote.example:port", None),
        ("a" * 300 + "@" + "b" * 40, None),
        ("ana", "ana"),
        ("ana-lima", None),  # "-" only in names of other servers
    ],
)
def test_possible_username_takes_names_of_other_servers(raw: str, expected: str | None) -> None:
    assert possible_username(raw) == expected


@pytest.mark.parametrize(
    "username", ["alice@remote.example", "alice@remote.example:8443", "alice@remote.example~1"]
)
def test_profile_addresses_of_such_names_reverse_and_resolve(username: str) -> None:
    for name in ("profile", "profile_reels", "graph:followers", "graph:following"):
        path = reverse(name, args=[username])
        assert path.startswith(f"/{username}/")
        assert resolve(path).kwargs == {"username": username}
