"""The authorization code flow through the consent page, PKCE, and the token endpoint."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from glimpse.accounts.models import User
from tests.conftest import PASSWORD
from tests.oauth_flow import (
    APP_REDIRECT,
    OOB,
    VERIFIER,
    authorize_params,
    bearer,
    code_from,
    consent,
    exchange,
    register_app,
    s256,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_anonymous_visitor_is_sent_to_log_in_and_back() -> None:
    app = register_app()
    response = Client().get("/oauth/authorize", authorize_params(app))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    back = parse_qs(location.query)["next"][0]
    assert back.startswith("/oauth/authorize?")
    assert app["client_id"] in back


def test_the_consent_page_names_the_app_and_the_scopes_in_plain_words(browser: Client) -> None:
    app = register_app()
    page = browser.get("/oauth/authorize", authorize_params(app, scope="read write:statuses"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Authorise Pocket?" in html
    assert "@ana" in html
    assert "See everything of your account" in html
    assert "Post, comment and delete your posts" in html
    assert "write:media" not in html
    assert 'name="allow"' in html
    assert ">Deny<" in html


def test_approving_with_pkce_gives_a_code_that_buys_a_token(browser: Client, user: User) -> None:
    app = register_app()
    params = authorize_params(app, scope="read write", challenge=s256(VERIFIER))
    answer = consent(browser, params)
    assert answer["Location"].startswith(APP_REDIRECT + "?")
    # The response names its issuer (RFC 9207), as the metadata document does.
    assert parse_qs(urlsplit(answer["Location"]).query)["iss"] == ["http://testserver"]
    response = exchange(app, code_from(answer))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert isinstance(body["created_at"], int)
    stored = AccessToken.objects.get(user=user)
    assert stored.scope == "read write"
    # Stored only as a digest: the secret itself is nowhere in the table.
    assert not AccessToken.objects.filter(token=body["access_token"]).exists()
    me = Client().get("/api/glimpse/v1/accounts/me", **bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["username"] == "ana"


def test_denying_sends_the_app_an_error_and_grants_nothing(browser: Client) -> None:
    app = register_app()
    answer = consent(browser, authorize_params(app), approve=False)
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert query["error"] == ["access_denied"]
    assert not Grant.objects.exists()
    assert not AccessToken.objects.exists()


def test_a_wrong_verifier_is_refused(browser: Client) -> None:
    app = register_app()
    code = code_from(consent(browser, authorize_params(app, challenge=s256(VERIFIER))))
    response = exchange(app, code, verifier=VERIFIER + "x")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_a_missing_verifier_is_refused_once_pkce_was_started(browser: Client) -> None:
    app = register_app()
    code = code_from(consent(browser, authorize_params(app, challenge=s256(VERIFIER))))
    response = exchange(app, code, verifier=None)
    assert response.status_code == 400
    assert "error" in response.json()
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize("method", ["plain", None])
def test_a_plain_challenge_is_refused(browser: Client, method: str | None) -> None:
    app = register_app()
    params = authorize_params(app, challenge=VERIFIER, method=method)
    response = browser.get("/oauth/authorize", params)
    # Refused before any consent is asked: back to the app with the error.
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["invalid_request"]
    assert not Grant.objects.exists()


def test_an_app_without_a_secret_must_use_pkce(browser: Client) -> None:
    app = register_app()
    Application.objects.filter(client_id=app["client_id"]).update(
        client_type=Application.CLIENT_PUBLIC
    )
    response = browser.get("/oauth/authorize", authorize_params(app))
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["invalid_request"]
    assert not Grant.objects.exists()


def test_a_code_works_once(browser: Client) -> None:
    app = register_app()
    code = code_from(consent(browser, authorize_params(app, challenge=s256(VERIFIER))))
    assert exchange(app, code).status_code == 200
    again = exchange(app, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert AccessToken.objects.count() == 1


def test_a_scope_the_app_did_not_register_is_refused(browser: Client) -> None:
    app = register_app(scopes="read")
    response = browser.get("/oauth/authorize", authorize_params(app, scope="read write"))
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["invalid_scope"]


def test_a_granular_scope_under_a_registered_one_is_allowed(browser: Client) -> None:
    app = register_app(scopes="read")
    code = code_from(
        consent(browser, authorize_params(app, scope="read:statuses", challenge=s256(VERIFIER)))
    )
    assert exchange(app, code).json()["scope"] == "read:statuses"


def test_an_unregistered_redirect_uri_is_not_followed(browser: Client) -> None:
    app = register_app()
    params = authorize_params(app, redirect_uri="https://elsewhere.example/cb")
    response = browser.get("/oauth/authorize", params)
    assert response.status_code == 400
    assert "elsewhere" not in response.get("Location", "")
    assert "doesn" in response.content.decode()


def test_oob_shows_the_code_to_copy(browser: Client) -> None:
    app = register_app()
    answer = consent(browser, authorize_params(app, redirect_uri=OOB, challenge=s256(VERIFIER)))
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    code = answer.context["code"]
    assert code
    assert code in answer.content.decode()
    assert exchange(app, code, redirect_uri=OOB).status_code == 200


def test_force_login_makes_the_signed_in_person_log_in_again(browser: Client) -> None:
    app = register_app()
    params = {**authorize_params(app), "force_login": "true"}
    response = browser.get("/oauth/authorize", params)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    back = parse_qs(location.query)["next"][0]
    assert "force_login" not in back
    # Logged out: the consent page now asks for a log-in first.
    assert browser.get(back).status_code == 302
    logged_in = browser.post(
        "/accounts/login/", {"login": "ana", "password": PASSWORD, "next": back}
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == back
    assert browser.get(back).status_code == 200


def test_refresh_token_gives_a_new_token_and_retires_the_old_one(browser: Client) -> None:
    app = register_app()
    code = code_from(consent(browser, authorize_params(app, challenge=s256(VERIFIER))))
    first = exchange(app, code).json()
    response = Client().post(
        "/oauth/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )
    assert response.status_code == 200
    second = response.json()
    assert second["access_token"] != first["access_token"]
    assert second["scope"] == "read write"
    assert (
        Client().get("/api/glimpse/v1/accounts/me", **bearer(second["access_token"])).status_code
        == 200
    )
    assert (
        Client().get("/api/glimpse/v1/accounts/me", **bearer(first["access_token"])).status_code
        == 401
    )


def test_client_credentials_give_an_app_token(browser: Client) -> None:
    app = register_app()
    response = Client().post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "read"
    token = AccessToken.objects.get()
    assert token.user is None


def test_a_wrong_client_secret_is_refused() -> None:
    app = register_app()
    response = Client().post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": "not-it",
        },
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.exists()


def test_the_token_endpoint_takes_json_too(browser: Client) -> None:
    app = register_app()
    response = Client().post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["scope"] == "read"


def test_revoke_ends_the_token(browser: Client) -> None:
    app = register_app()
    code = code_from(consent(browser, authorize_params(app, challenge=s256(VERIFIER))))
    token = exchange(app, code).json()["access_token"]
    response = Client().post(
        "/oauth/revoke",
        {"token": token, "client_id": app["client_id"], "client_secret": app["client_secret"]},
    )
    assert response.status_code == 200
    assert response.json() == {}
    assert not AccessToken.objects.exists()
    assert Client().get("/api/glimpse/v1/accounts/me", **bearer(token)).status_code == 401


def test_another_app_cannot_revoke_a_token(browser: Client) -> None:
    app, other = register_app(), register_app()
    code = code_from(consent(browser, authorize_params(app, challenge=s256(VERIFIER))))
    token = exchange(app, code).json()["access_token"]
    Client().post(
        "/oauth/revoke",
        {"token": token, "client_id": other["client_id"], "client_secret": other["client_secret"]},
    )
    assert AccessToken.objects.count() == 1
    assert RefreshToken.objects.count() == 1
    assert Client().get("/api/glimpse/v1/accounts/me", **bearer(token)).status_code == 200


def test_the_metadata_document_names_the_endpoints() -> None:
    response = Client().get("/.well-known/oauth-authorization-server")
    assert response.status_code == 200
    body = response.json()
    assert body["issuer"] == "http://testserver"
    assert body["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert body["token_endpoint"] == "http://testserver/oauth/token"
    assert body["revocation_endpoint"] == "http://testserver/oauth/revoke"
    assert body["app_registration_endpoint"] == "http://testserver/api/v1/apps"
    assert body["service_documentation"] == "http://testserver/api/glimpse/v1/docs"
    assert body["response_types_supported"] == ["code"]
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert set(body["grant_types_supported"]) == {
        "authorization_code",
        "client_credentials",
        "refresh_token",
    }
    assert {"read", "write", "follow", "push", "profile", "read:statuses"} <= set(
        body["scopes_supported"]
    )
    assert "client_secret_post" in body["token_endpoint_auth_methods_supported"]


def test_no_account_can_be_named_after_the_oauth_pages() -> None:
    response = Client().post(
        "/api/glimpse/v1/auth/signup",
        {"username": "oauth", "email": "o@example.com", "password": "quiet-lake-morning"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "reserved" in response.json()["error"]["fields"]["username"][0]
    assert not User.objects.filter(username="oauth").exists()


def test_denying_an_oob_app_says_so_on_the_page(browser: Client) -> None:
    app = register_app()
    answer = consent(browser, authorize_params(app, redirect_uri=OOB), approve=False)
    assert answer.status_code == 200
    assert "Pocket was not authorised" in answer.content.decode()
    assert not Grant.objects.exists()


def test_a_token_request_whose_json_cannot_be_read_is_a_400() -> None:
    response = Client().post("/oauth/token", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert not AccessToken.objects.exists()
