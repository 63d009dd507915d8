"""A NUL character in any text of any request is a 422 naming the field, never a 500.

PostgreSQL cannot store or even compare a NUL, so without a check each such field was a
500 there. The cases are read from the API's own OpenAPI document: a new endpoint is
covered the day it is added.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from glimpse.accounts.models import ApiToken, User
from glimpse.api import api as glimpse_api
from tests.conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db

NUL_TEXT = "a\x00b"
_DOC = glimpse_api.get_openapi_schema(path_prefix="")
_SCHEMAS = _DOC["components"]["schemas"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _string_paths(schema: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every path to a text value in a schema (arrays by their first item)."""
    schema = _resolve(schema)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            found: list[tuple[str, ...]] = []
            for option in schema[combined]:
                for candidate in _string_paths(option, path):
                    if candidate not in found:
                        found.append(candidate)
            return found
    kind = schema.get("type")
    if kind == "string" and schema.get("format") != "binary":
        return [path]
    if kind == "array":
        return _string_paths(schema.get("items", {}), (*path, "0"))
    if kind == "object" or "properties" in schema:
        paths = []
        for name, sub in schema.get("properties", {}).items():
            paths.extend(_string_paths(sub, (*path, name)))
        return paths
    return []


def _nest(path: tuple[str, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    return [_nest(rest, value)] if head == "0" else {head: _nest(rest, value)}


def _url(path: str, operation: dict[str, Any]) -> str:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            kind = _resolve(parameter.get("schema", {})).get("type")
            value = "ana" if kind == "string" else "1"
            path = path.replace("{" + parameter["name"] + "}", value)
    return "/api/glimpse/v1" + path


def _cases(content_type: str) -> list[Any]:
    cases = []
    for path, operations in _DOC["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get(content_type)
            if body is None:
                continue
            for field in _string_paths(body["schema"]):
                name = ".".join(field)
                cases.append(pytest.param(method, path, field, id=f"{method} {path} {name}"))
    return cases


def _query_cases() -> list[Any]:
    cases = []
    for path, operations in _DOC["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and _string_paths(parameter.get("schema", {})):
                    name = parameter["name"]
                    cases.append(pytest.param(method, path, name, id=f"{method} {path} ?{name}"))
    return cases


def _snapshot() -> tuple[Any, ...]:
    user = User.objects.get(username="ana")
    return (user.display_name, user.bio, user.password, ApiToken.objects.count())


def test_the_document_has_text_fields_to_walk() -> None:
    assert len(_cases("application/json")) > 40
    assert _query_cases()


@pytest.mark.parametrize(("method", "path", "field"), _cases("application/json"))
def test_a_nul_in_any_json_text_field_is_a_422_naming_it(
    api: ApiClient, method: str, path: str, field: tuple[str, ...]
) -> None:
    before = _snapshot()
    operation = _DOC["paths"][path][method]
    response = api.client.generic(
        method.upper(),
        _url(path, operation),
        json.dumps(_nest(field, NUL_TEXT)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"].get(".".join(field)), response.content
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "path", "field"), _cases("multipart/form-data"))
def test_a_nul_in_any_form_field_is_a_422_naming_it(
    api: ApiClient, method: str, path: str, field: tuple[str, ...]
) -> None:
    response = api.client.post(
        _url(path, _DOC["paths"][path][method]),
        {".".join(field): NUL_TEXT},
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"].get(".".join(field)), response.content


@pytest.mark.parametrize(("method", "path", "name"), _query_cases())
def test_a_nul_in_any_query_parameter_is_a_422_naming_it(
    api: ApiClient, method: str, path: str, name: str
) -> None:
    url = _url(path, _DOC["paths"][path][method]) + f"?{name}={quote(NUL_TEXT)}"
    response = api.client.generic(method.upper(), url, HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"].get(name), response.content


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("auth/token", {"username": NUL_TEXT, "password": PASSWORD}, "username"),
        ("auth/token", {"username": "ana", "password": NUL_TEXT}, "password"),
        ("auth/password-reset", {"email": "ana\x00@example.com"}, "email"),
        (
            "auth/signup",
            {"username": "b\x00b", "email": "b@example.com", "password": PASSWORD},
            "username",
        ),
    ],
)
def test_anonymous_requests_with_a_nul_are_a_422_naming_the_field(
    anon: ApiClient, user: User, mailoutbox: list, path: str, body: dict, field: str
) -> None:
    before = _snapshot()
    response = anon.post(path, body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"].get(field)
    assert _snapshot() == before
    assert User.objects.count() == 1
    assert mailoutbox == []
