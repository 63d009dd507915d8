"""POST /api/v1/apps and GET /api/v1/apps/verify_credentials."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from oauth2_provider.models import Application

from glimpse.accounts.models import OAuthApp, User
from glimpse.accounts.services import token_create
from tests.oauth_flow import APP_REDIRECT, OOB, bearer, register_app, user_token

pytestmark = pytest.mark.django_db

ENTITY = {
    "id",
    "name",
    "website",
    "scopes",
    "redirect_uri",
    "redirect_uris",
    "client_id",
    "client_secret",
    "client_secret_expires_at",
    "vapid_key",
}


def post_json(body: Any) -> Any:
    return Client().post("/api/v1/apps", json.dumps(body), content_type="application/json")


def test_registering_by_form_answers_the_application_entity() -> None:
    response = Client().post(
        "/api/v1/apps",
        {
            "client_name": "Pocket",
            "redirect_uris": f"{APP_REDIRECT}\n{OOB}",
            "scopes": "read write push",
            "website": "https://pocket.example",
            "something_new": "ignored",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ENTITY
    assert body["name"] == "Pocket"
    assert body["website"] == "https://pocket.example"
    assert body["scopes"] == ["read", "write", "push"]
    assert body["redirect_uris"] == [APP_REDIRECT, OOB]
    assert body["redirect_uri"] == f"{APP_REDIRECT}\n{OOB}"
    assert body["client_secret_expires_at"] == 0
    assert body["vapid_key"]
    application = Application.objects.get(client_id=body["client_id"])
    assert str(application.pk) == body["id"]
    # The secret is answered once and stored only hashed.
    assert identify_hasher(application.client_secret)
    assert application.client_secret != body["client_secret"]


def test_registering_by_json_with_a_list_of_uris() -> None:
    response = post_json(
        {
            "client_name": "Pocket",
            "redirect_uris": ["https://pocket.example/cb", APP_REDIRECT, OOB],
        }
    )
    assert response.status_code == 200
    body = response.json()
    assert body["redirect_uris"] == ["https://pocket.example/cb", APP_REDIRECT, OOB]
    # Scopes default to read; no website is null.
    assert body["scopes"] == ["read"]
    assert body["website"] is None


@pytest.mark.parametrize(
    "uri", ["http://127.0.0.1:8080/cb", "http://[::1]/cb", "http://localhost:3000/callback"]
)
def test_plain_http_is_allowed_to_the_apps_own_device(uri: str) -> None:
    response = post_json({"client_name": "Pocket", "redirect_uris": uri})
    assert response.status_code == 200
    assert response.json()["redirect_uris"] == [uri]


def test_form_lists_may_repeat_the_field() -> None:
    response = Client().post(
        "/api/v1/apps",
        {"client_name": "Pocket", "redirect_uris[]": [APP_REDIRECT, OOB], "scopes": "read"},
    )
    assert response.status_code == 200
    assert response.json()["redirect_uris"] == [APP_REDIRECT, OOB]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"redirect_uris": OOB}, "client_name"),
        ({"client_name": "Pocket"}, "redirect_uris"),
        ({"client_name": "", "redirect_uris": OOB}, "client_name"),
        ({"client_name": "Pocket", "redirect_uris": "not a uri"}, "absolute URI"),
        ({"client_name": "Pocket", "redirect_uris": "javascript:alert(1)"}, "cannot be"),
        ({"client_name": "Pocket", "redirect_uris": "https://a.example/cb#x"}, "fragment"),
        ({"client_name": "Pocket", "redirect_uris": "http://a.example/cb"}, "Use https"),
        ({"client_name": "Pocket", "redirect_uris": OOB, "scopes": "read admin"}, "admin"),
        ({"client_name": "Pocket", "redirect_uris": OOB, "website": "ftp://x"}, "website"),
        ({"client_name": "Pocket", "redirect_uris": 7}, "redirect_uris"),
        ({"client_name": "x" * 101, "redirect_uris": OOB}, "at most"),
    ],
)
def test_bad_input_is_a_422_in_mastodon_shape_and_creates_nothing(
    body: dict[str, Any], words: str
) -> None:
    response = post_json(body)
    assert response.status_code == 422
    error = response.json()
    assert error["error"].startswith("Validation failed")
    assert words in error["error"] + error.get("error_description", "")
    assert not Application.objects.exists()
    assert not OAuthApp.objects.exists()


def test_a_body_that_is_not_json_is_a_400() -> None:
    response = Client().post("/api/v1/apps", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()
    assert not Application.objects.exists()


def test_verify_credentials_answers_the_app_of_a_user_token(user: User) -> None:
    app = register_app()
    browser = Client()
    browser.force_login(user)
    token = user_token(browser, app, scope="read")
    response = Client().get("/api/v1/apps/verify_credentials", **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Pocket"
    assert body["id"] == app["id"]
    # The credentials are answered only when the app is made.
    assert "client_secret" not in body or body["client_secret"] is None


def test_verify_credentials_answers_the_app_of_its_own_token() -> None:
    app = register_app()
    token = (
        Client()
        .post(
            "/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
            },
        )
        .json()["access_token"]
    )
    response = Client().get("/api/v1/apps/verify_credentials", **bearer(token))
    assert response.status_code == 200
    assert response.json()["id"] == app["id"]


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_verify_credentials_without_a_valid_token_is_a_401(header: str | None) -> None:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": header} if header else {}
    response = Client().get("/api/v1/apps/verify_credentials", **extra)
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def test_a_personal_token_belongs_to_no_app(user: User) -> None:
    _, secret = token_create(user=user, name="script")
    response = Client().get("/api/v1/apps/verify_credentials", **bearer(secret))
    assert response.status_code == 422
    assert "error" in response.json()
