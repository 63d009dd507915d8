"""Mastodon's error shape, ``{"error": "...", "error_description": "..."}``, for every failure
of the client API."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import ValidationError as SchemaError

from glimpse.core.errors import GlimpseError, InvalidInput

logger = logging.getLogger("glimpse.mastodon")

INVALID_TOKEN = "The access token is invalid"  # noqa: S105 - an error message
OUTSIDE_SCOPES = "This action is outside the authorized scopes"
USER_REQUIRED = "This method requires an authenticated user"
# What Mastodon answers for anything missing, and so for anything the viewer may not see.
NOT_FOUND = "Record not found"


class MastodonError(Exception):
    """A failure answered with Mastodon's words for it."""

    def __init__(self, status: int, error: str, description: str | None = None) -> None:
        self.status = status
        self.error = error
        self.description = description
        super().__init__(error)


def record_id(value: str | int) -> int:
    """Return the id a path or field names; one that is not a snowflake names nothing (404)."""
    text = str(value)
    if not text.isdigit() or len(text) > 19:
        raise MastodonError(404, NOT_FOUND)
    return int(text)


def install_mastodon_errors(api: NinjaAPI) -> None:
    """Make every failure of ``api`` answer Mastodon's error shape."""
    for kind, answer in _ANSWERS:
        api.add_exception_handler(kind, _handler(api, answer))


# The client API's roots: errors no endpoint of it answered (an unknown path, a method it
# does not serve, the request limit) still take its shape there.
ROOTS = ("/api/v1/", "/api/v2/")
# Mastodon's words for a bare status; any other keeps Glimpse's message.
_STATUS_WORDS = {
    401: INVALID_TOKEN,
    403: "This action is not allowed",
    404: NOT_FOUND,
}


def bare_error_body(status: int, message: str) -> dict[str, object]:
    """Return Mastodon's body for an error no endpoint answered (``glimpse.core`` asks)."""
    return {"error": _STATUS_WORDS.get(status, message)}


def error_body(error: str, description: str | None = None) -> dict[str, str]:
    """Return Mastodon's error body."""
    body = {"error": error}
    if description:
        body["error_description"] = description
    return body


Answer = tuple[int, dict[str, str]]


def _handler(
    api: NinjaAPI, answer: Callable[[HttpRequest, Any], Answer]
) -> Callable[[HttpRequest, Any], HttpResponse]:
    def respond(request: HttpRequest, exc: Any) -> HttpResponse:
        status, body = answer(request, exc)
        return api.create_response(request, body, status=status)

    return respond


def _mastodon(request: HttpRequest, exc: MastodonError) -> Answer:
    return exc.status, error_body(exc.error, exc.description)


def _glimpse(request: HttpRequest, exc: GlimpseError) -> Answer:
    if exc.status == 404:
        return 404, error_body(NOT_FOUND)
    details = "; ".join(
        f"{field}: {message}" for field, messages in exc.fields.items() for message in messages
    )
    if exc.status == 422:
        # Fields' own words say more than the general "some fields are not valid".
        said = details if details and exc.message == InvalidInput.default_message else exc.message
        return 422, error_body(f"Validation failed: {said}", details or None)
    return exc.status, error_body(exc.message, details or None)


def _validation(request: HttpRequest, exc: ValidationError) -> Answer:
    return 422, error_body("Validation failed: " + _problems(exc.errors))


def _schema(request: HttpRequest, exc: SchemaError) -> Answer:
    # A body read by the endpoint itself (form or JSON alike) and checked by its schema.
    return 422, error_body("Validation failed: " + _problems(exc.errors()))


def _problems(errors: Any) -> str:
    problems = []
    for item in errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "query")]
        problems.append(f"{'.'.join(location) or 'body'}: {item.get('msg')}")
    return "; ".join(problems)


def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> Answer:
    return 401, error_body(INVALID_TOKEN)


def _http(request: HttpRequest, exc: HttpError) -> Answer:
    return exc.status_code, error_body(str(exc))


def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> Answer:
    return 400, error_body("The request cannot be read")


def _not_found(request: HttpRequest, exc: Http404) -> Answer:
    return 404, error_body(NOT_FOUND)


def _server_error(request: HttpRequest, exc: Exception) -> Answer:
    logger.exception("Unhandled error on %s %s", request.method, request.path)
    return 500, error_body("Something went wrong on our side. It has been logged.")


_ANSWERS: tuple[tuple[type[Exception], Callable[[HttpRequest, Any], Answer]], ...] = (
    (MastodonError, _mastodon),
    (GlimpseError, _glimpse),
    (ValidationError, _validation),
    (SchemaError, _schema),
    (AuthenticationError, _not_authenticated),
    (HttpError, _http),
    (SuspiciousOperation, _suspicious),
    (Http404, _not_found),
    (Exception, _server_error),
)
