"""Every API error, whoever raises it, answers the one error shape."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from psycopg_pool import PoolTimeout
from redis.exceptions import ConnectionError as RedisConnectionError

from glimpse.core.unavailable import service_unavailable
from glimpse.core.views import not_found
from glimpse.graph import selectors
from tests.conftest import ApiClient


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(anon: ApiClient) -> None:
    assert_error_shape(anon.get("no/such/thing"), 404, "not_found")


@pytest.mark.django_db
def test_wrong_method_is_a_json_405_with_allow(anon: ApiClient) -> None:
    response = anon.request("PUT", "accounts/me", {})
    assert_error_shape(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}


@pytest.mark.django_db
def test_validation_error_names_each_field(anon: ApiClient) -> None:
    error = assert_error_shape(anon.post("auth/signup", {"username": 7}), 422, "invalid")
    assert set(error["fields"]) == {"username", "email", "password"}


@pytest.mark.django_db
def test_body_that_is_not_json_is_a_400(anon: ApiClient) -> None:
    response = anon.client.post(
        "/api/glimpse/v1/auth/signup", "{not json", content_type="application/json"
    )
    assert_error_shape(response, 400, "bad_request")


@pytest.mark.django_db
def test_missing_authentication_is_a_401(anon: ApiClient) -> None:
    assert_error_shape(anon.get("accounts/me"), 401, "not_authenticated")


@pytest.mark.django_db
def test_unhandled_exception_is_a_logged_json_500(
    anon: ApiClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(selectors, "account_get", broken)
    with caplog.at_level(logging.ERROR):
        error = assert_error_shape(anon.get("accounts/ana"), 500, "server_error")
    assert "simulated bug" not in error["message"]
    assert any("simulated bug" in (r.exc_text or str(r.exc_info)) for r in caplog.records)
    # Printed once, with its cause: not again by django.request without it.
    assert [r.name for r in caplog.records] == ["glimpse.api"]


@pytest.mark.django_db
def test_an_unavailable_database_is_logged_once(
    anon: ApiClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def down(**kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "account_get", down)
    with caplog.at_level(logging.WARNING):
        assert_error_shape(anon.get("accounts/ana"), 503, "unavailable")
    assert [(r.name, r.levelname) for r in caplog.records] == [("glimpse.api", "WARNING")]


def test_openapi_declares_the_error_answers(anon: ApiClient) -> None:
    document = anon.get("openapi.json").json()
    signup = document["paths"]["/api/glimpse/v1/auth/signup"]["post"]["responses"]
    assert {"201", "409", "422", "429"} <= set(signup)
    assert "ErrorOut" in str(signup["422"])


def test_api_docs_are_served_without_any_external_asset(anon: ApiClient) -> None:
    page = anon.get("docs").content.decode()
    assert "/api/glimpse/v1/openapi.json" in page
    assert "http://" not in page
    assert "https://" not in page


@pytest.mark.django_db(transaction=True)
def test_an_error_page_rendered_in_another_thread_gives_its_connection_back(user) -> None:
    # Under ASGI, Django renders error pages in a worker thread of the event loop; a
    # connection left open there is never returned to the pool.
    request = RequestFactory().get("/no/such/page/")
    request.user = user

    def render_in_worker() -> tuple[int, bytes, int]:
        # SQLite ignores closing an in-memory database, so watch the call itself.
        with mock.patch.object(connection, "close", wraps=connection.close) as close:
            response = not_found(request)
        return response.status_code, response.content, close.call_count

    with ThreadPoolExecutor(max_workers=1) as worker:
        status, content, closes = worker.submit(render_in_worker).result()
    assert status == 404
    assert b"/notifications/" in content  # the signed-in navigation was drawn
    assert closes == 1


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_documented_400(api: ApiClient) -> None:
    response = api.client.generic(
        "PATCH",
        "/api/glimpse/v1/accounts/me",
        b"\x00",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert_error_shape(response, 400, "bad_request")
    schema = api.get("openapi.json").json()
    assert "400" in schema["paths"]["/api/glimpse/v1/accounts/me"]["patch"]["responses"]


@pytest.mark.django_db
def test_a_database_that_is_down_answers_a_json_503_with_retry_after(
    anon: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(**kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "account_get", down)
    response = anon.get("accounts/ana")
    assert_error_shape(response, 503, "unavailable")
    assert response["Retry-After"] == "5"


@pytest.mark.parametrize("cause", [RedisConnectionError("refused"), PoolTimeout("no connection")])
def test_redis_and_pool_failures_count_as_unavailable_and_bugs_do_not(cause: Exception) -> None:
    wrapped = RuntimeError("while reading the feed")
    wrapped.__cause__ = cause
    assert service_unavailable(wrapped)
    assert not service_unavailable(RuntimeError("a bug"))


def test_pages_and_bare_views_answer_503_while_the_database_is_down(settings) -> None:
    settings.ROOT_URLCONF = "tests.core.urls_for_errors"
    client = Client(raise_request_exception=False)
    page = client.get("/down")
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert b"briefly unavailable" in page.content
    api = client.get("/api/glimpse/v1/down")
    assert_error_shape(api, 503, "unavailable")
    assert api["Retry-After"] == "5"
