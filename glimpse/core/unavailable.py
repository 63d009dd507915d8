"""Tell a backing service that is down (database, Redis) from a bug.

While PostgreSQL restarts or Redis is unreachable, requests answer 503 with ``Retry-After``
at once, instead of a 500: the client is told to retry, and the logs keep 500 for bugs.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from psycopg_pool import PoolTimeout
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRY_AFTER_SECONDS = 5
CODE = "unavailable"
MESSAGE = "Glimpse is briefly unavailable. Try again in a few seconds."

UNAVAILABLE_ERRORS = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    RedisConnectionError,
    RedisTimeoutError,
)


def service_unavailable(exc: BaseException | None) -> bool:
    """Tell whether ``exc`` (or what caused it) means a backing service is unreachable."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, UNAVAILABLE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def retry_later(response: HttpResponse) -> HttpResponse:
    """Mark a 503 answer with when to retry."""
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
