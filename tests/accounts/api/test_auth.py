"""API: sign-up, log-in, log-out and tokens."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher

from glimpse.accounts.models import ApiToken, User
from tests.conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db

GOOD = {"username": "new.person", "email": "new@example.com", "password": "quiet-lake-morning"}


def test_signup_creates_the_account_and_answers_a_working_token(anon: ApiClient) -> None:
    response = anon.post("auth/signup", GOOD)
    assert response.status_code == 201
    body = response.json()
    assert body["account"]["username"] == "new.person"
    assert isinstance(body["account"]["id"], str)
    user = User.objects.get(username="new.person")
    assert str(user.pk) == body["account"]["id"]
    assert user.check_password(GOOD["password"])
    me = ApiClient(body["token"]).get("accounts/me")
    assert me.status_code == 200
    assert me.json()["email"] == "new@example.com"
    # Only a digest of the token is stored.
    assert not ApiToken.objects.filter(digest__contains=body["token"]).exists()


def test_signup_lowercases_the_username(anon: ApiClient) -> None:
    response = anon.post("auth/signup", {**GOOD, "username": "New.Person"})
    assert response.status_code == 201
    assert response.json()["account"]["username"] == "new.person"


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "Choose"),
        ("a" * 31, "at most 30"),
        ("has space", "Use only"),
        ("émile", "Use only"),
        ("dots..twice", "'.'"),
        ("admin", "reserved"),
        ("explore", "reserved"),
        ("accounts", "reserved"),
        ("api", "reserved"),
    ],
)
def test_signup_refuses_bad_usernames_and_writes_nothing(
    anon: ApiClient, username: str, message: str
) -> None:
    response = anon.post("auth/signup", {**GOOD, "username": username})
    assert response.status_code == 422
    assert message in response.json()["error"]["fields"]["username"][0]
    assert User.objects.count() == 0


def test_signup_refuses_a_username_taken_in_another_case(anon: ApiClient, make_user) -> None:
    make_user("ana")
    response = anon.post("auth/signup", {**GOOD, "username": "ANA"})
    assert response.status_code == 409
    assert "taken" in response.json()["error"]["fields"]["username"][0]
    assert User.objects.count() == 1


def test_signup_refuses_an_email_taken_in_another_case(anon: ApiClient, make_user) -> None:
    make_user("ana")
    response = anon.post("auth/signup", {**GOOD, "email": "ANA@EXAMPLE.COM"})
    assert response.status_code == 409
    assert "email" in response.json()["error"]["fields"]
    assert User.objects.count() == 1


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "new.person1"])
def test_signup_refuses_weak_passwords(anon: ApiClient, password: str) -> None:
    response = anon.post("auth/signup", {**GOOD, "password": password})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["password"]
    assert User.objects.count() == 0


def test_signup_refuses_a_bad_email(anon: ApiClient) -> None:
    response = anon.post("auth/signup", {**GOOD, "email": "not-an-email"})
    assert response.status_code == 422
    assert "email" in response.json()["error"]["fields"]
    assert User.objects.count() == 0


def test_signup_is_rate_limited_per_ip(anon: ApiClient) -> None:
    limit, _ = settings.GLIMPSE_RATE_SIGNUP
    for n in range(limit):
        body = {**GOOD, "username": f"p{n}", "email": f"p{n}@example.com"}
        assert anon.post("auth/signup", body).status_code == 201
    response = anon.post("auth/signup", {**GOOD, "username": "onemore"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "rate_limited"
    assert not User.objects.filter(username="onemore").exists()


def test_passwords_are_hashed_with_argon2_outside_tests(anon: ApiClient, settings) -> None:
    settings.PASSWORD_HASHERS = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    anon.post("auth/signup", GOOD)
    user = User.objects.get(username="new.person")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_login_answers_a_new_token(anon: ApiClient, user: User) -> None:
    response = anon.post("auth/token", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["account"]["username"] == "ana"
    assert ApiClient(response.json()["token"]).get("accounts/me").status_code == 200


def test_login_by_email_in_any_case(anon: ApiClient, user: User) -> None:
    response = anon.post("auth/token", {"username": "ANA@example.com", "password": PASSWORD})
    assert response.status_code == 200


def test_login_with_a_wrong_password_is_refused_and_creates_no_token(
    anon: ApiClient, user: User
) -> None:
    response = anon.post("auth/token", {"username": "ana", "password": "wrong-password-here"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert ApiToken.objects.count() == 0


def test_login_of_an_unknown_account_answers_like_a_wrong_password(anon: ApiClient) -> None:
    response = anon.post("auth/token", {"username": "ghost", "password": "whatever-it-is"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_failed_logins_are_limited_per_account(anon: ApiClient, user: User) -> None:
    limit, _ = settings.GLIMPSE_RATE_LOGIN_FAILURES
    for _ in range(limit):
        assert (
            anon.post("auth/token", {"username": "ana", "password": "nope-nope"}).status_code == 401
        )
    blocked = anon.post("auth/token", {"username": "ana", "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert ApiToken.objects.count() == 0


def test_logout_revokes_the_token_in_use_only(user: User) -> None:
    first = ApiClient(
        ApiClient().post("auth/token", {"username": "ana", "password": PASSWORD}).json()["token"]
    )
    second = ApiClient(
        ApiClient().post("auth/token", {"username": "ana", "password": PASSWORD}).json()["token"]
    )
    assert first.delete("auth/token").status_code == 204
    assert first.get("accounts/me").status_code == 401
    assert second.get("accounts/me").status_code == 200


def test_revoked_and_unknown_tokens_are_refused(api: ApiClient) -> None:
    token = ApiToken.objects.get()
    assert api.delete(f"accounts/me/tokens/{token.pk}").status_code == 204
    assert api.get("accounts/me").status_code == 401
    assert ApiClient("glp_made-up").get("accounts/me").status_code == 401
    # A bad token is refused even on public endpoints, rather than treated as anonymous.
    assert ApiClient("glp_made-up").get("accounts/ana").status_code == 401
    # On a write too: a 401 that says to log in again, not a CSRF 403 from the session's turn.
    refused = ApiClient("glp_made-up").patch("accounts/me", {"bio": "x"})
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "not_authenticated"


def test_tokens_are_listed_created_and_revoked(api: ApiClient, user: User) -> None:
    created = api.post("accounts/me/tokens", {"name": "laptop script"})
    assert created.status_code == 201
    secret = created.json()["token"]
    listed = api.get("accounts/me/tokens").json()
    assert [t["name"] for t in listed["items"]] == ["laptop script", "tests"]
    assert all("token" not in t for t in listed["items"])
    assert ApiClient(secret).get("accounts/me").status_code == 200
    assert api.delete(f"accounts/me/tokens/{created.json()['id']}").status_code == 204
    assert ApiClient(secret).get("accounts/me").status_code == 401


def test_a_stranger_cannot_revoke_someone_elses_token(api: ApiClient, make_user) -> None:
    stranger = make_user("stranger")
    from glimpse.accounts.services import token_create

    _, stranger_secret = token_create(user=stranger, name="theirs")
    mine = ApiToken.objects.get(user__username="ana")
    response = ApiClient(stranger_secret).delete(f"accounts/me/tokens/{mine.pk}")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is None
    assert api.get("accounts/me").status_code == 200


def test_session_authentication_needs_csrf_on_writes(user: User) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/glimpse/v1/accounts/me").status_code == 200
    refused = client.patch(
        "/api/glimpse/v1/accounts/me", '{"bio": "x"}', content_type="application/json"
    )
    assert refused.status_code == 403
    user.refresh_from_db()
    assert user.bio == ""
