"""Two-factor sign-in with an authenticator app and recovery codes, through the web pages."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from glimpse.accounts import totp
from glimpse.accounts.models import RecoveryCode, TotpDevice, User
from glimpse.core import clock as product_clock
from tests.accounts.two_factor_helpers import (
    password_step,
    recovery_codes,
    rfc_totp,
    shown_secret,
    turn_on_app,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/login/verify/"
RFC_SECRET = b"12345678901234567890"
# RFC 6238, appendix B: the SHA-1 column, 8 digits.
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.fixture
def ana_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def with_app(
    ana_client: Client, django_capture_on_commit_callbacks: Any
) -> tuple[bytes, list[str]]:
    """Turn the app on for ana (emails sent as the change commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        return turn_on_app(ana_client)


class Clock:
    """The time the product's clock answers while a test holds it."""

    now = 0.0


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> type[Clock]:
    """Hold the clock ten minutes ahead, past any step a setup used."""
    Clock.now = time.time() + 600
    monkeypatch.setattr(product_clock, "now", lambda: Clock.now)
    return Clock


def logged_in(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize(("at", "expected"), RFC_VECTORS)
def test_codes_follow_the_rfc_6238_test_vectors(at: int, expected: str) -> None:
    assert rfc_totp(RFC_SECRET, at, digits=8) == expected
    assert totp.totp_code(RFC_SECRET, totp.totp_step(at), digits=8) == expected


def test_the_window_is_one_step_either_side() -> None:
    now = 1_700_000_015.0
    for drift, accepted in [(-2, False), (-1, True), (0, True), (1, True), (2, False)]:
        code = rfc_totp(RFC_SECRET, now + drift * 30)
        found = totp.totp_match(RFC_SECRET, code, at=now)
        assert (drift, found is not None) == (drift, accepted)


def test_setup_shows_a_qr_code_and_the_secret_then_never_again(
    ana_client: Client, user: User, with_app: tuple[bytes, list[str]]
) -> None:
    secret, codes = with_app
    assert len(codes) == 10
    assert len(set(codes)) == 10
    device = TotpDevice.objects.get(user=user)
    assert device.confirmed_at is not None
    assert secret.hex() not in device.sealed_secret  # sealed, not in clear
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() == 10
    assert [m.subject for m in mail.outbox] == ["Two-factor sign-in is on"]
    again = ana_client.get("/accounts/settings/two-factor/app/")
    assert again.status_code == 302
    overview = ana_client.get("/accounts/settings/two-factor/").content.decode()
    assert "10</strong> left" in overview
    assert "totp-secret" not in overview


def test_the_setup_page_draws_the_qr_code_inline(ana_client: Client) -> None:
    page = ana_client.get("/accounts/settings/two-factor/app/").content.decode()
    assert '<div class="tf-qr"><svg' in page
    assert len(shown_secret(page)) == 20


def test_setup_needs_the_password_and_a_right_code(ana_client: Client, user: User) -> None:
    page = ana_client.get("/accounts/settings/two-factor/app/")
    secret = shown_secret(page.content.decode())
    url = "/accounts/settings/two-factor/app/"

    wrong_password = ana_client.post(url, {"password": "nope", "code": rfc_totp(secret)})
    wrong_code = ana_client.post(url, {"password": PASSWORD, "code": "000000"})

    assert wrong_password.status_code == 422
    assert "This is not your password." in wrong_password.content.decode()
    assert wrong_code.status_code == 422
    assert TotpDevice.objects.get(user=user).confirmed_at is None
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert mail.outbox == []


def test_a_password_alone_does_not_log_in(
    user: User, with_app: tuple[bytes, list[str]], clock: type[Clock]
) -> None:
    secret, _ = with_app
    client = Client()

    sent_to = password_step(client, "ana", next_url="/explore/")

    assert sent_to == VERIFY
    assert logged_in(client) is None
    assert client.get("/accounts/settings/").status_code == 302
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert "authenticator app" in page.content.decode()
    answer = client.post(VERIFY, {"code": rfc_totp(secret, clock.now)})
    assert answer.status_code == 302
    assert answer["Location"] == "/explore/"
    assert logged_in(client) == str(user.pk)


def test_accounts_without_a_second_factor_log_in_as_before(user: User) -> None:
    client = Client()
    assert password_step(client, "ana", next_url="/explore/") == "/explore/"
    assert logged_in(client) == str(user.pk)


def test_a_wrong_code_is_refused(with_app: tuple[bytes, list[str]]) -> None:
    client = Client()
    password_step(client, "ana")
    answer = client.post(VERIFY, {"code": "123456"})
    assert answer.status_code == 422
    assert "This code is not right" in answer.content.decode()
    assert logged_in(client) is None


def test_a_code_cannot_be_used_twice(
    user: User, with_app: tuple[bytes, list[str]], clock: type[Clock]
) -> None:
    secret, _ = with_app
    first, second = Client(), Client()
    password_step(first, "ana")
    password_step(second, "ana")
    code = rfc_totp(secret, clock.now)

    assert first.post(VERIFY, {"code": code}).status_code == 302
    replayed = second.post(VERIFY, {"code": code})

    assert replayed.status_code == 422
    assert logged_in(second) is None
    # Nor is an older code taken once a newer one was used.
    assert second.post(VERIFY, {"code": rfc_totp(secret, clock.now - 30)}).status_code == 422


@pytest.mark.parametrize(("drift", "accepted"), [(-2, False), (2, False), (-1, True), (1, True)])
def test_codes_one_step_off_work_and_two_steps_off_do_not(
    user: User, with_app: tuple[bytes, list[str]], clock: type[Clock], drift: int, accepted: bool
) -> None:
    secret, _ = with_app
    client = Client()
    password_step(client, "ana")

    answer = client.post(VERIFY, {"code": rfc_totp(secret, clock.now + drift * 30)})

    assert answer.status_code == (302 if accepted else 422)
    assert (logged_in(client) == str(user.pk)) is accepted


def test_a_recovery_code_works_once(user: User, with_app: tuple[bytes, list[str]]) -> None:
    _, codes = with_app
    client = Client()
    password_step(client, "ana", next_url="/explore/")

    answer = client.post(VERIFY, {"code": codes[3].upper().replace("-", " ")})

    assert answer["Location"] == "/explore/"
    assert logged_in(client) == str(user.pk)
    again = Client()
    password_step(again, "ana")
    assert again.post(VERIFY, {"code": codes[3]}).status_code == 422
    assert logged_in(again) is None
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=True).count() == 9


def test_the_pending_step_expires_after_five_minutes(
    user: User, with_app: tuple[bytes, list[str]], clock: type[Clock]
) -> None:
    secret, _ = with_app
    client = Client()
    password_step(client, "ana", next_url="/explore/")
    clock.now += 5 * 60 + 1

    answer = client.post(VERIFY, {"code": rfc_totp(secret, clock.now)})

    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/login/?next=%2Fexplore%2F"
    assert logged_in(client) is None


def test_five_wrong_codes_send_back_to_the_password(
    user: User, with_app: tuple[bytes, list[str]]
) -> None:
    secret, _ = with_app
    client = Client()
    password_step(client, "ana", next_url="/explore/")
    for _ in range(4):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 422

    fifth = client.post(VERIFY, {"code": "000000"})
    after = client.post(VERIFY, {"code": rfc_totp(secret)})

    assert fifth["Location"] == "/accounts/login/?next=%2Fexplore%2F"
    assert after["Location"] == "/accounts/login/"
    assert logged_in(client) is None


def test_wrong_codes_are_limited_across_pending_log_ins(
    user: User, with_app: tuple[bytes, list[str]], settings: Any
) -> None:
    secret, _ = with_app
    settings.GLIMPSE_RATE_TWO_FACTOR_FAILURES = (3, 3600)
    client = Client()
    password_step(client, "ana")
    for _ in range(3):
        client.post(VERIFY, {"code": "000000"})

    refused = client.post(VERIFY, {"code": rfc_totp(secret)})

    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert logged_in(client) is None


def test_turning_off_needs_the_password(
    ana_client: Client,
    user: User,
    with_app: tuple[bytes, list[str]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = "/accounts/settings/two-factor/off/"
    refused = ana_client.post(url, {"password": "wrong"})
    assert refused.status_code == 422
    assert TotpDevice.objects.filter(user=user).exists()
    assert RecoveryCode.objects.filter(user=user).count() == 10

    with django_capture_on_commit_callbacks(execute=True):
        done = ana_client.post(url, {"password": PASSWORD})

    assert done.status_code == 302
    assert not TotpDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert [m.subject for m in mail.outbox][-1] == "Two-factor sign-in is off"
    client = Client()
    assert password_step(client, "ana") == "/"


def test_new_recovery_codes_need_the_password_and_replace_the_old(
    ana_client: Client, user: User, with_app: tuple[bytes, list[str]]
) -> None:
    _, old = with_app
    url = "/accounts/settings/two-factor/recovery-codes/"
    refused = ana_client.post(url, {"password": "wrong"})
    assert refused.status_code == 422

    answer = ana_client.post(url, {"password": PASSWORD})

    new = recovery_codes(answer.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert answer["Cache-Control"] == "no-store"
    client = Client()
    password_step(client, "ana")
    assert client.post(VERIFY, {"code": old[0]}).status_code == 422
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302


def test_the_settings_page_shows_the_state(ana_client: Client, with_app: Any) -> None:
    page = ana_client.get("/accounts/settings/").content.decode()
    assert "Two-factor sign-in" in page
    assert "Authenticator app · 10 recovery codes left" in page


def test_a_password_alone_does_not_cancel_a_pending_deletion(
    user: User, with_app: tuple[bytes, list[str]], clock: type[Clock]
) -> None:
    secret, _ = with_app
    User.objects.filter(pk=user.pk).update(deletion_requested_at=timezone.now())
    client = Client()
    password_step(client, "ana")
    assert User.objects.get(pk=user.pk).deletion_requested_at is not None

    client.post(VERIFY, {"code": rfc_totp(secret, clock.now)})

    assert User.objects.get(pk=user.pk).deletion_requested_at is None
    assert logged_in(client) == str(user.pk)


def test_setup_confirmations_are_limited_like_the_log_in(
    ana_client: Client, user: User, settings: Any
) -> None:
    settings.GLIMPSE_RATE_TWO_FACTOR_FAILURES = (3, 3600)
    url = "/accounts/settings/two-factor/app/"
    secret = shown_secret(ana_client.get(url).content.decode())
    for n in range(3):
        assert ana_client.post(url, {"password": f"guess-{n}", "code": "1"}).status_code == 422

    refused = ana_client.post(url, {"password": PASSWORD, "code": rfc_totp(secret)})

    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert TotpDevice.objects.get(user=user).confirmed_at is None


def test_a_rotated_site_key_keeps_old_secrets_through_its_fallbacks(
    user: User, with_app: tuple[bytes, list[str]], clock: type[Clock], settings: Any
) -> None:
    secret, codes = with_app
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = old_key + "-rotated"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    client = Client()
    password_step(client, "ana")
    assert client.post(VERIFY, {"code": rfc_totp(secret, clock.now)}).status_code == 302

    settings.SECRET_KEY_FALLBACKS = []  # the old key dropped: the app's codes cannot be checked
    lost = Client()
    password_step(lost, "ana")
    refused = lost.post(VERIFY, {"code": rfc_totp(secret, clock.now + 30)})
    assert refused.status_code == 422
    assert lost.post(VERIFY, {"code": codes[0]}).status_code == 302
