"""The general request limit (DESIGN.md §8): so many requests per window per caller.

The caller is an API token (its digest, never the secret), else the signed-in account of a
browser session, else the client's address. Health checks, metrics and files are not counted.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from glimpse.core.errors import RateLimited, error_body
from glimpse.core.http import client_ip
from glimpse.core.middleware import API_PREFIX
from glimpse.core.ratelimit import rate_limit_check, rate_limit_hit, window_key

SCOPE = "requests"
# Requests that carried a bearer token the API refused, counted per address: without this,
# a new made-up token on every request would be a fresh identity and escape every limit.
BAD_TOKEN_SCOPE = "requests-bad-token"  # noqa: S105 - a cache scope name, not a secret
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
EXEMPT_PREFIXES = ("/static/", "/media/")


def throttle_identity(request: HttpRequest) -> str:
    """Return who a request is counted against: its API token, its account, or its address."""
    secret = _bearer_secret(request)
    if secret:
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
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
        identity = throttle_identity(request)
        is_token = identity.startswith("token:")
        count, retry_after = _count(identity, window=window)
        if count > limit:
            return _refusal(request, retry_after)
        if is_token:
            # Past the address's refused tokens, any token from it is refused: a valid one
            # would be let through only by a database lookup this check exists to spare.
            try:
                rate_limit_check(
                    scope=BAD_TOKEN_SCOPE,
                    identity=address_identity(request),
                    limit=limit,
                    window=window,
                )
            except RateLimited as refused:
                return _refusal(request, refused.retry_after)
        response = self.get_response(request)
        if is_token and response.status_code == 401:
            _count_bad_token(request, limit=limit, window=window)
        response["X-RateLimit-Remaining"] = str(limit - count)
        return response


def _exempt(path: str) -> bool:
    return path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


def _count(identity: str, *, window: int) -> tuple[int, int]:
    """Count one request; return the window's count so far and the seconds it has left.

    Every request pays this, so it increments first (two cache round trips on Redis) and
    creates the window's key only when missing, instead of always adding then incrementing.
    """
    key, seconds_left = window_key(SCOPE, identity, window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first request
        cache.add(key, 0, timeout=window + 1)
        count = cache.incr(key)
    return count, seconds_left


def _bearer_secret(request: HttpRequest) -> str:
    """Return the bearer secret of an API request; tokens mean nothing to web pages."""
    if not request.path.startswith(API_PREFIX):
        return ""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _count_bad_token(request: HttpRequest, *, limit: int, window: int) -> None:
    # This request is answered already; past the limit, the next one is refused up front.
    with contextlib.suppress(RateLimited):
        rate_limit_hit(
            scope=BAD_TOKEN_SCOPE, identity=address_identity(request), limit=limit, window=window
        )


def _refusal(request: HttpRequest, retry_after: int) -> HttpResponse:
    """Answer 429: the JSON error shape under /api/, a small page elsewhere."""
    if request.path.startswith(API_PREFIX):
        message = f"Too many requests. Try again in {_duration(retry_after)}."
        response: HttpResponse = JsonResponse(
            error_body("rate_limited", message), status=RateLimited.status
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
