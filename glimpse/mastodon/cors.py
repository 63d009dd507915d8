"""Cross-origin access to the client API, for apps that run in a browser (Phanpy, Elk).

Those apps are pages of another site that call this server with a bearer token, so the
client API, the token endpoints and the discovery documents answer any origin
(``Access-Control-Allow-Origin: *``), and a browser's preflight (``OPTIONS`` with
``Access-Control-Request-Method``) is answered at once. This is safe because nothing there
is authenticated by a cookie: the session never signs a request of the client API, and the
answers carry no credentials the calling page did not send itself.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# The paths a browser app calls from its own origin.
CROSS_ORIGIN_PREFIXES = (
    "/api/v1/",
    "/api/v2/",
    "/oauth/token",
    "/oauth/revoke",
    "/.well-known/oauth-authorization-server",
    "/.well-known/nodeinfo",
    "/nodeinfo/",
)
ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Accept"
# Headers a page may read from an answer: the next page, the request limit's count.
EXPOSED_HEADERS = "Link, X-RateLimit-Remaining, Retry-After"
PREFLIGHT_SECONDS = 24 * 60 * 60


class ClientApiCorsMiddleware:
    """Answer browser apps' preflights and let any origin read the client API's answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(CROSS_ORIGIN_PREFIXES):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
        else:
            response = self.get_response(request)
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        response["Access-Control-Allow-Origin"] = "*"
        return response
