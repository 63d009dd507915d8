"""What every API router shares: JSON with orjson, the error shape, and its OpenAPI schema."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import BaseRenderer

from glimpse.core.errors import GlimpseError, InvalidInput, RateLimited, error_body
from glimpse.core.text import NUL_MESSAGE, nul_paths
from glimpse.core.unavailable import CODE as UNAVAILABLE
from glimpse.core.unavailable import MESSAGE as UNAVAILABLE_TEXT
from glimpse.core.unavailable import RETRY_AFTER_SECONDS, service_unavailable

logger = logging.getLogger("glimpse.api")

# Where ninja says a field came from; clients only need the field's own name.
_SOURCES = frozenset({"body", "query", "path", "form", "file", "payload", "header", "cookie"})


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """The body of every API error."""

    error: ErrorDetail


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Return the error answers an operation declares in the OpenAPI document; every
    operation may answer 400 (a body or a parameter that cannot be parsed at all)."""
    return dict.fromkeys(sorted({400, *statuses}), ErrorOut)


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        """Serialise with orjson: several times faster than the standard library."""
        return orjson.dumps(data, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """Answer ``data`` as the renderer would, skipping response validation (hot paths only:
    their declared schema is checked by the tests instead)."""
    body = orjson.dumps(data, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)
    return HttpResponse(body, status=status, content_type="application/json")


class OrjsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        """Parse a JSON body; a body that is not JSON is a 400, a NUL in any text a 422."""
        try:
            data = orjson.loads(request.body or b"{}")
        except orjson.JSONDecodeError as exc:
            raise GlimpseError("The body is not valid JSON.", code="invalid_json") from exc
        refuse_nul(data)
        return data

    def parse_querydict(
        self,
        # ninja reads the query and the form fields here, and the uploaded files too.
        data: MultiValueDict[str, str] | MultiValueDict[str, UploadedFile[bytes]],
        list_fields: list[str],
        request: HttpRequest,
    ) -> dict[str, Any]:
        """Read query or form fields; a NUL in any of them is a 422 naming it."""
        result = super().parse_querydict(data, list_fields, request)
        refuse_nul(result)
        return result


def refuse_nul(data: Any) -> None:
    """Raise a 422 naming every field of parsed input that holds a NUL character (which
    PostgreSQL cannot store or even compare), before any of it reaches a query."""
    fields = {path: [NUL_MESSAGE] for path in nul_paths(data)}
    if fields:
        raise InvalidInput(fields=fields)


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every failure of ``api`` answer the one error shape."""
    for kind, answer in _ANSWERS:
        api.add_exception_handler(kind, _handler(api, answer))


@dataclass(frozen=True)
class _Answer:
    status: int
    body: dict[str, Any]
    retry_after: int | None = None
    logged: bool = False  # already logged here, with its cause: Django need not log it again


def _handler(
    api: NinjaAPI, answer: Callable[[HttpRequest, Any], _Answer]
) -> Callable[[HttpRequest, Any], HttpResponse]:
    def respond(request: HttpRequest, exc: Any) -> HttpResponse:
        found = answer(request, exc)
        response = api.create_response(request, found.body, status=found.status)
        if found.retry_after is not None:
            response["Retry-After"] = str(found.retry_after)
        if found.logged:
            # django.request would add a second line for the same failure ("Internal Server
            # Error: /api/glimpse/v1/..."), without its cause; this is the flag it checks.
            response._has_been_logged = True  # type: ignore[attr-defined]
        return response

    return respond


def _glimpse_error(request: HttpRequest, exc: GlimpseError) -> _Answer:
    retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
    return _Answer(exc.status, exc.as_dict(), retry_after)


def _validation_error(request: HttpRequest, exc: ValidationError) -> _Answer:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in _SOURCES]
        fields.setdefault(".".join(location) or "__all__", []).append(str(item.get("msg")))
    return _Answer(422, error_body("invalid", "Some fields are not valid.", fields))


def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> _Answer:
    message = "Log in, or send a valid token in the Authorization header."
    return _Answer(401, error_body("not_authenticated", message))


def _http_error(request: HttpRequest, exc: HttpError) -> _Answer:
    if isinstance(exc.__cause__, InvalidInput):
        # ninja wraps whatever the body parser raises in a bare 400: keep the 422 that
        # names the fields holding a NUL.
        return _glimpse_error(request, exc.__cause__)
    code = {400: "bad_request", 403: "forbidden"}.get(exc.status_code, "error")
    return _Answer(exc.status_code, error_body(code, str(exc)))


def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> _Answer:
    # A multipart body without a boundary, or cut short: the client's fault, not ours.
    message = "The multipart body cannot be read: send it with its boundary, complete."
    return _Answer(400, error_body("bad_multipart", message))


def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> _Answer:
    # Django's limits on request bodies (size, number of fields or files).
    if isinstance(exc, RequestDataTooBig):
        return _Answer(413, error_body("too_large", "The request body is too large."))
    return _Answer(400, error_body("bad_request", "The request cannot be read."))


def _not_found(request: HttpRequest, exc: Http404) -> _Answer:
    return _Answer(404, error_body("not_found", "Nothing was found here."))


def _server_error(request: HttpRequest, exc: Exception) -> _Answer:
    if service_unavailable(exc):
        logger.warning("Unavailable on %s %s: %s", request.method, request.path, exc)
        body = error_body(UNAVAILABLE, UNAVAILABLE_TEXT)
        return _Answer(503, body, RETRY_AFTER_SECONDS, logged=True)
    logger.exception("Unhandled error on %s %s", request.method, request.path)
    body = error_body("server_error", "Something went wrong on our side. It has been logged.")
    return _Answer(500, body, logged=True)


# Each failure and how it is answered; ninja picks the most specific class.
_ANSWERS: tuple[tuple[type[Exception], Callable[[HttpRequest, Any], _Answer]], ...] = (
    (GlimpseError, _glimpse_error),
    (ValidationError, _validation_error),
    (AuthenticationError, _not_authenticated),
    (HttpError, _http_error),
    (MultiPartParserError, _bad_multipart),
    (SuspiciousOperation, _suspicious),
    (Http404, _not_found),
    (Exception, _server_error),
)
