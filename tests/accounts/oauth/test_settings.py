"""The settings section "Apps you authorised", and taking an app's access back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from glimpse.accounts import services
from glimpse.accounts.models import User
from tests.oauth_flow import bearer, register_app, user_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_settings_list_each_authorised_app_with_its_scopes(browser: Client) -> None:
    app = register_app()
    user_token(browser, app, scope="read write:statuses")
    page = browser.get("/accounts/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Apps you authorised" in html
    assert "Pocket" in html
    assert "<code>read</code> <code>write:statuses</code>" in html
    assert f"/accounts/settings/apps/{app['id']}/revoke/" in html


def test_an_app_appears_once_whatever_its_token_count(browser: Client) -> None:
    app = register_app()
    user_token(browser, app, scope="read")
    user_token(browser, app, scope="write")
    html = browser.get("/accounts/settings/").content.decode()
    assert html.count(f"/accounts/settings/apps/{app['id']}/revoke/") == 1
    assert "<code>read</code> <code>write</code>" in html


def test_no_app_says_so(browser: Client) -> None:
    assert "No apps can use your account." in browser.get("/accounts/settings/").content.decode()


def test_revoking_signs_the_app_out(browser: Client) -> None:
    app = register_app()
    token = user_token(browser, app)
    response = browser.post(f"/accounts/settings/apps/{app['id']}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/"
    assert not AccessToken.objects.exists()
    assert not RefreshToken.objects.exists()
    assert not Grant.objects.exists()
    assert Client().get("/api/glimpse/v1/accounts/me", **bearer(token)).status_code == 401
    page = browser.get("/accounts/settings/")
    assert "The app can no longer use your account." in page.content.decode()
    assert "Pocket" not in page.content.decode()


def test_a_stranger_cannot_revoke_someone_elses_app(
    browser: Client, make_user: Callable[..., User]
) -> None:
    app = register_app()
    token = user_token(browser, app)
    stranger = Client()
    stranger.force_login(make_user("bruno"))
    response = stranger.post(f"/accounts/settings/apps/{app['id']}/revoke/")
    assert response.status_code == 404
    assert AccessToken.objects.count() == 1
    assert RefreshToken.objects.count() == 1
    assert Client().get("/api/glimpse/v1/accounts/me", **bearer(token)).status_code == 200


def test_revoking_needs_a_post_with_csrf(browser: Client, user: User) -> None:
    app = register_app()
    user_token(browser, app)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.get(f"/accounts/settings/apps/{app['id']}/revoke/").status_code == 405
    assert strict.post(f"/accounts/settings/apps/{app['id']}/revoke/").status_code == 403
    assert AccessToken.objects.count() == 1


def test_revoking_needs_a_log_in() -> None:
    app = register_app()
    response = Client().post(f"/accounts/settings/apps/{app['id']}/revoke/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_password_reset_signs_every_app_out(browser: Client, user: User) -> None:
    token = user_token(browser, register_app())
    services.password_reset_request(email=user.email, client_ip="127.0.0.1")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    uidb64, reset_token = link.rstrip("/").split("/")[-2:]
    services.password_reset_confirm(
        uidb64=uidb64, token=reset_token, new_password="a-new-quiet-lake-morning"
    )
    assert not AccessToken.objects.exists()
    assert Client().get("/api/glimpse/v1/accounts/me", **bearer(token)).status_code == 401
