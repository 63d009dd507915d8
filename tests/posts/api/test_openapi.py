"""Every posts operation declares the errors it can answer in the OpenAPI document."""

from __future__ import annotations

import pytest

from glimpse.api import api

MINE = ("/posts", "/comments", "/collections", "/places", "/tags", "/archive", "/drafts")


def _operations() -> list[tuple[str, str, dict]]:
    schema = api.get_openapi_schema()
    return [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        if path.startswith("/api/glimpse/v1")
        and not path.startswith(
            "/api/glimpse/v1/trending/"
        )  # feeds' discovery, tested in tests/feeds
        and any(part in path for part in MINE)
        for method, operation in methods.items()
    ]


def test_the_posts_operations_are_documented() -> None:
    paths = {path for path, _, _ in _operations()}
    assert len(_operations()) == 42
    assert "/api/glimpse/v1/accounts/{username}/posts" in paths


@pytest.mark.parametrize(("path", "method", "operation"), _operations())
def test_errors_are_declared(path: str, method: str, operation: dict) -> None:
    codes = {str(code) for code in operation["responses"]}
    assert "401" in codes  # a bad token is refused everywhere
    if operation.get("parameters") or "requestBody" in operation:
        assert "422" in codes
    if "{" in path and not path.endswith("{username}/posts"):
        assert "404" in codes
    if method in ("post", "patch", "delete") and "{" in path:
        assert {"403", "404"} <= codes
    assert operation.get("summary")
    assert operation.get("description")
