"""Where a second factor is asked besides the web log-in: the admin, the API, passkey removal."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client

from glimpse.accounts.models import ApiToken, Passkey, RecoveryCode, User
from glimpse.core import clock
from tests.accounts.two_factor_helpers import password_step, rfc_totp, turn_on_app
from tests.conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/login/verify/"


@pytest.fixture
def boss(make_user: Any) -> User:
    return make_user("boss", is_staff=True, is_superuser=True)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def later_code(secret: bytes, monkeypatch: pytest.MonkeyPatch) -> str:
    """Move the clock past the step the setup used (not past a pending log-in's five minutes),
    and return the code of that moment."""
    now = time.time() + 60
    monkeypatch.setattr(clock, "now", lambda: now)
    return rfc_totp(secret, now)


def test_staff_without_a_second_factor_are_sent_to_set_one_up(boss: User, settings: Any) -> None:
    settings.GLIMPSE_STAFF_REQUIRE_2FA = True
    client = signed_in(boss)

    answer = client.get("/admin/accounts/user/", follow=True)

    assert answer.redirect_chain[-1][0] == "/accounts/settings/two-factor/"
    assert "The admin needs two-factor sign-in on staff accounts" in answer.content.decode()
    assert client.get("/admin/").status_code == 302


def test_staff_with_a_second_factor_use_the_admin(boss: User, settings: Any) -> None:
    settings.GLIMPSE_STAFF_REQUIRE_2FA = True
    client = signed_in(boss)
    turn_on_app(client)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_without_the_setting_staff_need_no_second_factor(boss: User) -> None:
    assert signed_in(boss).get("/admin/accounts/user/").status_code == 200


def test_the_admin_log_in_asks_for_the_second_factor(
    boss: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret, _ = turn_on_app(signed_in(boss))
    client = Client()
    sent = client.get("/admin/login/?next=/admin/accounts/user/")
    next_url = "/admin/accounts/user/"
    assert sent["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"

    assert password_step(client, "boss", next_url=next_url) == VERIFY
    assert client.get(next_url).status_code == 302  # not in yet
    answer = client.post(VERIFY, {"code": later_code(secret, monkeypatch)})

    assert answer["Location"] == next_url
    assert client.get(next_url).status_code == 200


def test_the_api_refuses_a_password_alone_from_an_account_with_a_second_factor(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret, codes = turn_on_app(signed_in(user))
    api = ApiClient()
    body = {"username": "ana", "password": PASSWORD}

    bare = api.post("auth/token", body)
    wrong = api.post("auth/token", {**body, "otp": "000000"})

    assert bare.status_code == 403
    assert bare.json()["error"]["code"] == "two_factor_required"
    assert "otp" in bare.json()["error"]["message"]
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_code"
    assert ApiToken.objects.filter(user=user).count() == 0
    good = api.post("auth/token", {**body, "otp": later_code(secret, monkeypatch)})
    assert good.status_code == 200
    assert good.json()["token"]
    recovered = api.post("auth/token", {**body, "otp": codes[0]})
    assert recovered.status_code == 200
    assert ApiToken.objects.filter(user=user).count() == 2


def test_a_stranger_cannot_remove_someone_elses_passkey(user: User, make_user: Any) -> None:
    passkey = Passkey.objects.create(
        user=user, name="Phone", credential_id="AAAA", public_key=b"\x01"
    )
    make_user("eve")
    eve = Client()
    eve.post("/accounts/login/", {"login": "eve", "password": PASSWORD})

    answer = eve.post(
        f"/accounts/settings/two-factor/passkeys/{passkey.pk}/remove/", {"password": PASSWORD}
    )

    assert answer.status_code == 404
    assert Passkey.objects.filter(pk=passkey.pk).exists()


def test_removing_a_passkey_needs_the_password(user: User) -> None:
    passkey = Passkey.objects.create(
        user=user, name="Phone", credential_id="AAAA", public_key=b"\x01"
    )
    RecoveryCode.objects.create(user=user, digest="0" * 64)
    client = signed_in(user)
    url = f"/accounts/settings/two-factor/passkeys/{passkey.pk}/remove/"

    refused = client.post(url, {"password": "wrong"}, follow=True)
    assert "This is not your password." in refused.content.decode()
    assert Passkey.objects.filter(pk=passkey.pk).exists()

    client.post(url, {"password": PASSWORD})

    assert not Passkey.objects.filter(pk=passkey.pk).exists()
    # It was the last second factor: two-factor sign-in is off, its codes gone.
    assert not RecoveryCode.objects.filter(user=user).exists()


def test_adding_a_passkey_needs_the_password(user: User) -> None:
    client = signed_in(user)
    answer = client.post(
        "/accounts/settings/two-factor/passkeys/options/", {"name": "Phone", "password": "nope"}
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["message"] == "This is not your password."
    good = client.post(
        "/accounts/settings/two-factor/passkeys/options/", {"name": "Phone", "password": PASSWORD}
    )
    assert good.status_code == 200
    options = good.json()
    assert options["rp"]["id"] == "testserver"
    assert options["user"]["name"] == "ana"
    assert options["challenge"]


def test_staff_turn_off_the_second_factor_of_an_owner_who_lost_it(
    boss: User, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    passkey = Passkey.objects.create(
        user=user, name="Lost phone", credential_id="AAAA", public_key=b"\x01"
    )
    RecoveryCode.objects.create(user=user, digest="0" * 64)
    client = signed_in(boss)
    listed = client.get("/admin/accounts/passkey/")
    assert "Lost phone" in listed.content.decode()
    assert client.get(f"/admin/accounts/passkey/{passkey.pk}/delete/").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/accounts/passkey/",
            {"action": "turn_off", "_selected_action": [str(passkey.pk)]},
        )

    assert not Passkey.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert [m.subject for m in mail.outbox] == ["Two-factor sign-in is off"]
    assert password_step(Client(), "ana") == "/"


def test_djangos_authenticate_never_opens_an_account_with_a_second_factor(user: User) -> None:
    assert authenticate(None, username="ana", password=PASSWORD) == user
    Passkey.objects.create(user=user, name="Phone", credential_id="AAAA", public_key=b"\x01")

    assert authenticate(None, username="ana", password=PASSWORD) is None


def test_a_passkey_log_in_needs_a_fresh_challenge_and_a_real_answer(user: User) -> None:
    Passkey.objects.create(user=user, name="Phone", credential_id="AAAA", public_key=b"\x01")
    client = Client()
    forged = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}

    unasked = client.post("/accounts/login/passkey/", forged, content_type="application/json")
    options = client.post("/accounts/login/passkey/options/?next=/explore/")
    answered = client.post("/accounts/login/passkey/", forged, content_type="application/json")

    assert unasked.status_code == 422
    assert unasked.json()["error"]["code"] == "login_expired"
    assert options.json()["userVerification"] == "required"
    assert answered.status_code == 422
    assert answered.json()["error"]["code"] == "passkey"
    assert "_auth_user_id" not in client.session
