"""The general request limit (DESIGN.md §8): so many requests per window per caller.

The caller is an account, whatever token or browser session it comes with (all of them share
one count), or the app a token of an app acting for itself was issued to, else the client's
address. Health checks, metrics and files are not counted.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from glimpse.core.errors import RateLimited
from glimpse.core.http import client_ip
from glimpse.core.middleware import API_PREFIX, error_response
from glimpse.core.ratelimit import window_count, window_key

SCOPE = "requests"
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
EXEMPT_PREFIXES = ("/static/", "/media/")

# Returns who an API token secret is counted against ("user:<id>", "app:<id>"), None for no
# active token. The accounts app (a higher layer) sets it when it is ready; it remembers its
# lookup on the request so that the API's own authentication reuses it instead of querying.
TokenOwner = Callable[[HttpRequest, str], str | None]
_token_owner: list[TokenOwner] = []


def token_owner_register(resolver: TokenOwner) -> None:
    """Set how a token secret is turned into who it is counted against."""
    _token_owner[:] = [resolver]


def throttle_identity(request: HttpRequest) -> str:
    """Return who a request is counted against: its account, or its address.

    A bearer token counts against its account, like the account's browser sessions; an app's
    own token against its app. A token that names nothing active counts against its address,
    apart from the address's anonymous requests: without that, a new made-up token on every
    request would be a fresh identity and escape every limit.
    """
    secret = _bearer_secret(request)
    if secret:
        owner = _token_owner[0](request, secret)
        return owner if owner is not None else _bad_token_identity(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "ip:" + address_identity(request)


def address_identity(request: HttpRequest) -> str:
    """Return the client's address, widened to its /64 for IPv6 (one subscriber's block)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


class RequestThrottleMiddleware:
    """Refuse a caller's requests past ``GLIMPSE_RATE_REQUESTS`` with 429 and Retry-After.

    It sits right after AuthenticationMiddleware, not right after ApiErrorShapeMiddleware:
    a browser request is counted against its signed-in account, which needs the session and
    ``request.user``. A refused request stops here, so no view runs and nothing is written.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _exempt(request.path):
            return self.get_response(request)
        limit, window = settings.GLIMPSE_RATE_REQUESTS
        secret = _bearer_secret(request)
        if secret:
            # Refused before the database is asked who the token belongs to: any token from
            # an address past its count of made-up tokens, and a token already refused in
            # this window. So a flood past the limit costs one cache read a request, no query.
            retry_after = _token_refused(request, secret, limit=limit, window=window)
            if retry_after:
                return _refusal(request, retry_after)
        count, retry_after = _count(throttle_identity(request), window=window)
        if count > limit:
            if secret:
                key, _ = window_key(SCOPE, _refused_token_identity(secret), window)
                cache.set(key, 1, timeout=retry_after + 1)
            return _refusal(request, retry_after)
        response = self.get_response(request)
        response["X-RateLimit-Remaining"] = str(limit - count)
        return response


def _exempt(path: str) -> bool:
    return path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


def _count(identity: str, *, window: int) -> tuple[int, int]:
    """Count one request; return the window's count so far and the seconds it has left."""
    key, seconds_left = window_key(SCOPE, identity, window)
    return window_count(key, timeout=window + 1), seconds_left


def _bearer_secret(request: HttpRequest) -> str:
    """Return the bearer secret of an API request; tokens mean nothing to web pages."""
    if not request.path.startswith(API_PREFIX):
        return ""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _bad_token_identity(request: HttpRequest) -> str:
    return "bad-token:" + address_identity(request)


def _refused_token_identity(secret: str) -> str:
    return "refused-token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]


def _token_refused(request: HttpRequest, secret: str, *, limit: int, window: int) -> int:
    """Return the seconds to wait if this token is refused without a lookup, else 0."""
    bad_key, seconds_left = window_key(SCOPE, _bad_token_identity(request), window)
    refused_key, _ = window_key(SCOPE, _refused_token_identity(secret), window)
    found = cache.get_many([bad_key, refused_key])
    if refused_key in found or found.get(bad_key, 0) >= limit:
        return seconds_left
    return 0


def _refusal(request: HttpRequest, retry_after: int) -> HttpResponse:
    """Answer 429: the JSON error shape under /api/, a small page elsewhere."""
    if request.path.startswith(API_PREFIX):
        message = f"Too many requests. Try again in {_duration(retry_after)}."
        response: HttpResponse = error_response(
            RateLimited.status, request.path, code="rate_limited", message=message
        )
    else:
        context = {"retry_after": retry_after, "wait": _duration(retry_after)}
        response = render(request, "errors/429.html", context, status=RateLimited.status)
    response["Retry-After"] = str(retry_after)
    response["X-RateLimit-Remaining"] = "0"
    return response


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
