"""Failed log-ins: counted per resolved account and address, per address, per account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import ApiToken, User
from tests.conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db

HERE = "198.51.100.10"
THERE = "203.0.113.20"
LONG_S = "\u017f"  # LATIN SMALL LETTER LONG S: an "s" once NFKC-normalised
DOTLESS_I = "\u0131"  # LATIN SMALL LETTER DOTLESS I: no NFKC form, PostgreSQL upper-cases it to I


def full_width(text: str) -> str:
    """Return ASCII text in its full-width forms (U+FF01 to U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def api_login(login: str, password: str, address: str = HERE) -> Any:
    """Log in through the API from an address."""
    return ApiClient().post(
        "auth/token", {"username": login, "password": password}, REMOTE_ADDR=address
    )


def test_look_alike_spellings_share_the_accounts_count(make_user: Callable[..., User]) -> None:
    make_user("sissi_sis")
    spellings = [
        f"{LONG_S}issi_sis",
        f"si{LONG_S}{LONG_S}i_sis",
        "SISSI_SIS",
        full_width("sissi_sis"),
        " Sissi_Sis ",
        f"sissi_si{LONG_S}",
        "sissi_sis".replace("s", LONG_S),
        "sissi_sis@example.com",
        "SISSI_SIS@EXAMPLE.COM",
        "sissi_sis",
    ]
    for spelling in spellings:
        answer = api_login(spelling, "not-the-password")
        assert (spelling, answer.status_code) == (spelling, 401)

    blocked = api_login("sissi_sis", PASSWORD)

    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert ApiToken.objects.count() == 0


def test_a_dotless_i_does_not_open_an_account_on_any_database(
    make_user: Callable[..., User],
) -> None:
    make_user("sissi_sis")

    # PostgreSQL upper-cases a dotless i to I: a case-insensitive match let this in there.
    answer = api_login(f"{LONG_S}{DOTLESS_I}ssi_sis", PASSWORD)

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_credentials"
    assert ApiToken.objects.count() == 0
    # The same name, normalised the way usernames are stored, does open it.
    assert api_login(f"{LONG_S}issi_sis", PASSWORD).status_code == 200


def test_username_and_email_share_one_count(user: User, settings: Any) -> None:
    limit, _ = settings.GLIMPSE_RATE_LOGIN_FAILURES
    for n in range(limit):
        login = "ana" if n % 2 else "Ana@Example.com"
        assert api_login(login, "not-the-password").status_code == 401

    assert api_login("ana@example.com", PASSWORD).status_code == 429
    assert api_login("ana", PASSWORD).status_code == 429
    assert ApiToken.objects.count() == 0


def test_a_stranger_cannot_lock_the_owner_out(user: User, settings: Any) -> None:
    limit, _ = settings.GLIMPSE_RATE_LOGIN_FAILURES
    guesses = [api_login("ana", f"guess-{n}", address=HERE) for n in range(limit)]
    ghost = [api_login("ghost", f"guess-{n}", address=HERE) for n in range(limit)]

    # The stranger's address is refused, even with the right password ...
    assert api_login("ana", PASSWORD, address=HERE).status_code == 429
    assert ApiToken.objects.count() == 0
    # ... while the owner, elsewhere, logs in.
    owner = api_login("ana", PASSWORD, address=THERE)
    assert owner.status_code == 200
    assert ApiToken.objects.filter(user=user).count() == 1
    # A name that has no account is answered the same way: nothing tells whether it exists.
    assert [a.json() for a in guesses] == [a.json() for a in ghost]
    refused_ana = api_login("ana", "guess", address=HERE)
    refused_ghost = api_login("ghost", "guess", address=HERE)
    assert (refused_ana.status_code, refused_ghost.status_code) == (429, 429)
    assert refused_ana.json() == refused_ghost.json()


def test_one_address_guessing_at_many_accounts_is_stopped(
    make_user: Callable[..., User], settings: Any
) -> None:
    settings.GLIMPSE_RATE_LOGIN_FAILURES_ADDRESS = (12, 3600)
    for name in ("ana", "ben", "cai", "dee"):
        make_user(name)
    for name in ("ana", "ben", "cai", "dee"):
        for n in range(3):  # well under each account's own count of 10
            assert api_login(name, f"guess-{n}").status_code == 401
    make_user("eve")

    # Past the address's count, no account can be tried from it, not even with its password.
    assert api_login("eve", PASSWORD).status_code == 429
    assert api_login("nobody", "guess").status_code == 429
    assert ApiToken.objects.count() == 0
    # Other addresses are not concerned.
    assert api_login("eve", PASSWORD, address=THERE).status_code == 200


def test_guessing_from_many_addresses_spares_the_owners_usual_address(
    user: User, settings: Any
) -> None:
    settings.GLIMPSE_RATE_LOGIN_FAILURES_ACCOUNT = (6, 3600)
    usual = "192.0.2.50"
    assert api_login("ana", PASSWORD, address=usual).status_code == 200
    for n in range(6):  # one guess from each of six addresses
        assert api_login("ana", "guess", address=f"198.51.100.{100 + n}").status_code == 401

    # The account is shut to every address it never logged in from ...
    new_place = api_login("ana", PASSWORD, address="198.51.100.200")
    assert new_place.status_code == 429
    assert int(new_place["Retry-After"]) > 0
    assert ApiToken.objects.count() == 1
    # ... but its owner still gets in from the usual place.
    assert api_login("ana", PASSWORD, address=usual).status_code == 200
    assert ApiToken.objects.count() == 2


def test_the_web_form_shares_the_count_and_spares_the_owner(user: User, settings: Any) -> None:
    limit, _ = settings.GLIMPSE_RATE_LOGIN_FAILURES
    stranger = Client(REMOTE_ADDR=HERE)
    for _ in range(limit - 1):
        answer = stranger.post(reverse("accounts:login"), {"login": "ana", "password": "nope"})
        assert answer.status_code == 400
    assert api_login("ANA", "nope", address=HERE).status_code == 401

    refused = stranger.post(reverse("accounts:login"), {"login": "ana", "password": PASSWORD})
    assert refused.status_code == 429
    assert "_auth_user_id" not in stranger.session
    owner = Client(REMOTE_ADDR=THERE)
    answer = owner.post(reverse("accounts:login"), {"login": "ana", "password": PASSWORD})
    assert answer.status_code == 302
    assert owner.session["_auth_user_id"] == str(user.pk)
