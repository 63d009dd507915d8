"""Give every error under /api/ the one JSON error shape, whoever produced it, and refuse
web requests carrying a NUL character.

An API of a higher app that answers errors in another shape (the Mastodon client API's
``{"error": "..."}``) registers it for its paths, so that its 404s, 405s and 429s look like
its own answers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

from glimpse.core.errors import error_body
from glimpse.core.text import NUL
from glimpse.core.unavailable import CODE as UNAVAILABLE
from glimpse.core.unavailable import MESSAGE as UNAVAILABLE_TEXT

API_PREFIX = "/api/"

_MESSAGES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_authenticated", "Log in, or send a valid token in the Authorization header."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "Nothing was found here."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("too_large", "The request is too large."),
    500: ("server_error", "Something went wrong on our side. It has been logged."),
    503: (UNAVAILABLE, UNAVAILABLE_TEXT),
}


# An error body in another API's shape, from the status and Glimpse's message for it.
ErrorShape = Callable[[int, str], dict[str, object]]
_SHAPES: dict[str, ErrorShape] = {}


def error_shape_register(prefixes: tuple[str, ...], shape: ErrorShape) -> None:
    """Answer the errors of paths under these prefixes in another API's shape."""
    for prefix in prefixes:
        _SHAPES[prefix] = shape


def error_response(
    status: int, path: str = "", *, code: str | None = None, message: str | None = None
) -> JsonResponse:
    """Build the JSON error answer for a bare HTTP status, in the shape of the API the path
    belongs to (Glimpse's unless another registered it)."""
    default_code, default_message = _MESSAGES.get(status, ("error", "The request failed."))
    text = message or default_message
    for prefix, shape in _SHAPES.items():
        if path.startswith(prefix):
            return JsonResponse(shape(status, text), status=status)
    return JsonResponse(error_body(code or default_code, text), status=status)


class ApiErrorShapeMiddleware:
    """Rewrite non-JSON error answers of API paths (Django's 404, ninja's 405, CSRF 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            shaped = error_response(response.status_code, request.path)
            for header in ("Allow", "Retry-After"):
                if response.has_header(header):
                    shaped[header] = response[header]
            return shaped
        return response


class RefuseNulMiddleware:
    """Answer 400 to a web page request whose query or form fields hold a NUL character.

    PostgreSQL can neither store nor compare one, and web views read fields in many ways
    (forms, raw POST fields, search terms): one check here covers them all. The API checks
    its own input and names the field (``glimpse.core.api``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) and (
            _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST))
        ):
            message = "Text cannot contain null characters. Remove them and try again."
            return render(request, "errors/400.html", {"message": message}, status=400)
        return self.get_response(request)


def _holds_nul(fields: QueryDict) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in fields.lists()
    )
