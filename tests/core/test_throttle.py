"""The general request limit: per account (all its tokens and sessions), per address; 429."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client, RequestFactory

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.core import ratelimit
from glimpse.core.throttle import throttle_identity
from glimpse.graph.models import Follow
from tests.conftest import ApiClient
from tests.oauth_flow import bearer, register_app

pytestmark = pytest.mark.django_db

WINDOW = 300


@pytest.fixture
def limit(settings: Any) -> Callable[[int], None]:
    """Set the general limit to a few requests per five minutes."""

    def set_limit(requests: int) -> None:
        settings.GLIMPSE_RATE_REQUESTS = (requests, WINDOW)

    return set_limit


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Drive the rate limiter's clock by hand; starts 100 s into a window."""
    now = [1_700_000_100.0 - 1_700_000_100 % WINDOW + 100]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def test_api_limit_answers_429_with_retry_after_and_the_error_shape(
    api: ApiClient, limit: Callable[[int], None], clock: list[float]
) -> None:
    limit(2)
    first = api.get("accounts/me")
    second = api.get("accounts/me")
    assert (first.status_code, first["X-RateLimit-Remaining"]) == (200, "1")
    assert (second.status_code, second["X-RateLimit-Remaining"]) == (200, "0")

    refused = api.get("accounts/me")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "200"  # the window ends 200 s from now
    assert refused["X-RateLimit-Remaining"] == "0"
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json() == {
        "error": {
            "code": "rate_limited",
            "message": "Too many requests. Try again in 4 minutes.",
            "fields": {},
        }
    }


def test_refused_request_writes_nothing(
    api: ApiClient, user: User, make_user: Callable[..., User], limit: Callable[[int], None]
) -> None:
    make_user("ben")
    limit(1)
    assert api.get("accounts/me").status_code == 200

    refused = api.post("accounts/ben/follow")

    assert refused.status_code == 429
    assert Follow.objects.count() == 0
    # Two counted so far: the same request, now allowed, does write. (Another token of the
    # account: the refused one stays refused until the window ends.)
    limit(3)
    _, secret = token_create(user=user, name="second")
    assert ApiClient(secret).post("accounts/ben/follow").status_code == 200
    assert Follow.objects.count() == 1


def test_web_pages_answer_a_small_429_page(
    client: Client, limit: Callable[[int], None], clock: list[float]
) -> None:
    limit(1)
    assert client.get("/accounts/login/").status_code == 200

    refused = client.get("/accounts/login/")

    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    assert refused["Retry-After"] == "200"
    assert refused["X-RateLimit-Remaining"] == "0"
    page = refused.content.decode()
    assert "Slow down a little." in page
    assert "try again in 4 minutes" in page
    assert 'class="topbar"' in page  # the site's own layout, like the 404 page


def test_an_accounts_tokens_and_sessions_share_one_count(
    api: ApiClient, user: User, make_user: Callable[..., User], limit: Callable[[int], None]
) -> None:
    limit(3)
    _, second_secret = token_create(user=user, name="second")
    browser = Client()
    browser.force_login(user)
    assert api.get("accounts/me").status_code == 200
    assert ApiClient(second_secret).get("accounts/me").status_code == 200
    assert browser.get("/api/glimpse/v1/accounts/me").status_code == 200

    # A new token, the other token and the session are all refused: one account, one count.
    _, third_secret = token_create(user=user, name="third")
    assert ApiClient(third_secret).get("accounts/me").status_code == 429
    assert ApiClient(second_secret).get("accounts/me").status_code == 429
    assert browser.get("/api/glimpse/v1/accounts/me", REMOTE_ADDR="198.51.100.7").status_code == 429
    # Another account's token and session, and anonymous visitors, each count on their own.
    ben = make_user("ben")
    _, ben_secret = token_create(user=ben, name="bens")
    assert ApiClient(ben_secret).get("accounts/me").status_code == 200
    other = Client()
    other.force_login(ben)
    assert other.get("/api/glimpse/v1/accounts/me").status_code == 200
    assert Client().get("/accounts/login/").status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.8").get("/accounts/login/").status_code == 200


def test_counting_a_token_against_its_account_costs_no_extra_query(
    api: ApiClient, django_assert_num_queries: Any
) -> None:
    api.get("accounts/me")  # the token's last use is recorded on the first request only
    # One query finds the token and its account, for the limit and the API's login alike.
    with django_assert_num_queries(1):
        assert api.get("accounts/me").status_code == 200


def test_a_refused_token_is_refused_again_without_a_query(
    api: ApiClient, limit: Callable[[int], None], django_assert_num_queries: Any
) -> None:
    limit(1)
    assert api.get("accounts/me").status_code == 200
    assert api.get("accounts/me").status_code == 429

    # A flood past the limit costs the database nothing.
    with django_assert_num_queries(0):
        refused = api.get("accounts/me")
    assert (refused.status_code, refused.json()["error"]["code"]) == (429, "rate_limited")


def test_made_up_tokens_are_counted_against_the_address(
    user: User, limit: Callable[[int], None]
) -> None:
    limit(2)
    assert ApiClient("glp_made-up-1").get("accounts/me").status_code == 401
    assert ApiClient("glp_made-up-2").get("accounts/me").status_code == 401

    refused = ApiClient("glp_made-up-3").get("accounts/me")

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    # Sending a refused token again does not escape either.
    assert ApiClient("glp_made-up-1").get("accounts/me").status_code == 429
    # Anonymous requests from that address keep their own count, and another address's
    # tokens are not refused.
    assert Client().get("/api/glimpse/v1/openapi.json").status_code == 200
    _, secret = token_create(user=user, name="elsewhere")
    elsewhere = ApiClient(secret).get("accounts/me", REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 200


@pytest.mark.parametrize(
    ("proxies", "first", "second", "refused"),
    [
        # No trusted proxy: X-Forwarded-For is the client's to invent, so it is ignored.
        (0, "203.0.113.1", "203.0.113.2", True),
        # One proxy: its entry (the rightmost) names the client.
        (1, "203.0.113.1", "203.0.113.2", False),
        # Entries left of the proxy's own are the client's to invent.
        (1, "192.0.2.1, 203.0.113.1", "192.0.2.2, 203.0.113.1", True),
        # Two proxies: the second entry from the right.
        (2, "203.0.113.1, 10.0.0.1", "203.0.113.2, 10.0.0.1", False),
    ],
)
def test_address_behind_trusted_proxies(
    settings: Any,
    limit: Callable[[int], None],
    proxies: int,
    first: str,
    second: str,
    refused: bool,
) -> None:
    settings.GLIMPSE_TRUSTED_PROXY_COUNT = proxies
    limit(1)
    browser = Client(REMOTE_ADDR="10.0.0.2")
    assert browser.get("/accounts/login/", HTTP_X_FORWARDED_FOR=first).status_code == 200
    again = browser.get("/accounts/login/", HTTP_X_FORWARDED_FOR=second)
    assert again.status_code == (429 if refused else 200)


def test_ipv6_addresses_are_counted_per_64_block(limit: Callable[[int], None]) -> None:
    limit(1)
    assert Client(REMOTE_ADDR="2001:db8:1:2::1").get("/accounts/login/").status_code == 200
    same_block = Client(REMOTE_ADDR="2001:db8:1:2:ffff::9").get("/accounts/login/")
    other_block = Client(REMOTE_ADDR="2001:db8:1:3::1").get("/accounts/login/")
    assert (same_block.status_code, other_block.status_code) == (429, 200)


def test_health_metrics_static_and_media_are_not_counted(
    client: Client, settings: Any, limit: Callable[[int], None]
) -> None:
    limit(1)
    media = Path(settings.MEDIA_ROOT) / "a" / "photo.jpg"
    media.parent.mkdir(parents=True)
    media.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    media_url = default_storage.url("a/photo.jpg")
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/accounts/login/").status_code == 429

    answers = {
        path: client.get(path)
        for path in (
            "/healthz",
            "/readyz",
            "/metrics",
            "/static/css/glimpse.css",
            media_url,
        )
    }

    statuses = {path: answer.status_code for path, answer in answers.items()}
    assert statuses.pop("/metrics") != 429  # its own rules decide who may scrape
    assert statuses == {
        "/healthz": 200,
        "/readyz": 200,
        "/static/css/glimpse.css": 200,
        media_url: 200,
    }
    assert not any(answer.has_header("X-RateLimit-Remaining") for answer in answers.values())


def test_the_count_starts_again_when_the_window_ends(
    api: ApiClient, limit: Callable[[int], None], clock: list[float]
) -> None:
    limit(1)
    assert api.get("accounts/me").status_code == 200
    assert api.get("accounts/me").status_code == 429

    clock[0] += 199
    almost = api.get("accounts/me")
    assert (almost.status_code, almost["Retry-After"]) == (429, "1")

    clock[0] += 1
    renewed = api.get("accounts/me")
    assert (renewed.status_code, renewed["X-RateLimit-Remaining"]) == (200, "0")


def test_identity_keeps_no_token_secret(user: User) -> None:
    factory = RequestFactory()
    _, secret = token_create(user=user, name="t")
    made_up = "glp_" + "s" * 43

    known = throttle_identity(
        factory.get("/api/glimpse/v1/feed", HTTP_AUTHORIZATION=f"Bearer {secret}")
    )
    unknown = throttle_identity(
        factory.get("/api/glimpse/v1/feed", HTTP_AUTHORIZATION=f"Bearer {made_up}")
    )
    page_request = factory.get("/", HTTP_AUTHORIZATION=f"Bearer {secret}")

    # A token counts against its account; a made-up one against its address's bad tokens.
    assert (known, unknown) == (f"user:{user.pk}", "bad-token:127.0.0.1")
    # Web pages ignore bearer tokens, so they count the address instead.
    assert throttle_identity(page_request) == "ip:127.0.0.1"


def _app_token() -> str:
    """Register an app and return a token it holds for itself (client credentials)."""
    app = register_app()
    answer = Client().post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read",
        },
    )
    token: str = answer.json()["access_token"]
    return token


def test_an_apps_own_token_is_counted_against_its_app(limit: Callable[[int], None]) -> None:
    first, second = _app_token(), _app_token()  # four requests counted against the address
    limit(5)
    instance = "/api/v1/instance"
    for _ in range(5):
        assert Client().get(instance, **bearer(first)).status_code == 200
    assert Client().get(instance, **bearer(first)).status_code == 429
    # Another app on the same address has its own count, as do the address's other requests.
    assert Client().get(instance, **bearer(second)).status_code == 200
    assert Client().get(instance).status_code == 200
    request = RequestFactory().get(instance, HTTP_AUTHORIZATION=f"Bearer {second}")
    assert throttle_identity(request).startswith("app:")
