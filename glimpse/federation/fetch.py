"""Every request federation makes to another server, made so it cannot be turned against
this machine or its network, nor made to wait or read without end.

Each URL, the first and every redirect's, passes ``check_destination`` (destinations.py:
https, public addresses only); the connection then goes to the address checked there, with
no second lookup, while the Host header, TLS SNI and the certificate check keep the name.
Redirects are followed here, by hand. Time (per connect and read, and a deadline over all
hops that cuts even a server trickling one byte at a time), size (by ``Content-Length``
before reading, then counted while reading, after any decompression) and content type are
bounded. Pure of models and views.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
from django.conf import settings
from urllib3 import (
    BaseHTTPResponse,
    HTTPConnectionPool,
    HTTPHeaderDict,
    HTTPSConnectionPool,
    Timeout,
)
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError
from urllib3.exceptions import TimeoutError as UrllibTimeout

from glimpse.core.site import site_url
from glimpse.core.version import GLIMPSE_VERSION
from glimpse.federation.destinations import Destination, FetchRefused, check_destination
from glimpse.federation.domain_policy import media_rejected

__all__ = [
    "ACTIVITY_ACCEPT",
    "DOCUMENT_TYPES",
    "FetchRefused",
    "FetchResult",
    "Signer",
    "fetch_deadline",
    "fetch_json",
    "fetch_media",
    "safe_request",
    "user_agent",
]

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DOCUMENT_TYPES = ("application/activity+json", "application/ld+json", "application/json")
ACTIVITY_ACCEPT = (
    "application/activity+json, "
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
)
# Headers that describe a body: dropped when a redirect turns the request into a GET.
_BODY_HEADERS = ("content-type", "digest", "content-digest")
# Headers that carry credentials: never sent on to another origin.
_CREDENTIAL_HEADERS = ("authorization", "cookie")
_CHUNK = 64 * 1024
_CONNECTION_ERRORS = (HTTPError, HTTPException, OSError, ValueError)
Signer = Callable[[str, str, Mapping[str, str], bytes | None], Mapping[str, str]]
# When set (``fetch_deadline``), the monotonic time by which every request must have ended.
_DEADLINE: ContextVar[float | None] = ContextVar("glimpse_fetch_deadline", default=None)


@dataclass(frozen=True)
class FetchResult:
    """The answer to a request: status, headers (names in lower case), body and final URL."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str
    content_type: str  # the media type, lower case and without parameters; "" when none

    @property
    def ok(self) -> bool:
        """Tell whether the status is a success (2xx)."""
        return 200 <= self.status < 300


def safe_request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    accept: str | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    allowed_types: Collection[str] | None = None,
    sign: Signer | None = None,
) -> FetchResult:
    """Make one request to another server, redirects followed and checked; raise
    ``FetchRefused`` for what the rules forbid or what did not complete.

    ``allowed_types`` (``image/*`` allowed) is checked on a success only: an error page
    still tells its status. ``sign(method, url, headers, body)`` returns headers to add,
    and is called again for each hop.
    """
    limit = settings.GLIMPSE_FEDERATION_FETCH_MAX_BYTES if max_bytes is None else max_bytes
    seconds = settings.GLIMPSE_FEDERATION_FETCH_TIMEOUT if timeout is None else timeout
    base = HTTPHeaderDict({"User-Agent": user_agent(), "Accept-Encoding": "identity"})
    if accept:
        base["Accept"] = accept
    base.update(headers or {})
    method = method.upper()
    deadline = max(settings.GLIMPSE_FEDERATION_FETCH_DEADLINE, seconds)
    if (ends := _DEADLINE.get()) is not None:
        left = ends - time.monotonic()
        if left <= 0:
            raise FetchRefused("timed out", url=url, transient=True)
        deadline, seconds = min(deadline, left), min(seconds, left)
    watchdog = _Watchdog(deadline)
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            if watchdog.expired:
                raise _failure(UrllibTimeout(), url, watchdog)
            target = check_destination(url)
            hop_headers = HTTPHeaderDict(base)
            hop_headers["Host"] = target.host_header
            if sign is not None:
                hop_headers.update(sign(method, url, dict(hop_headers), body))
            response, pool = _open(method, url, target, hop_headers, body, seconds, watchdog)
            try:
                location = response.headers.get("Location")
                if response.status not in REDIRECT_STATUSES or not location:
                    return _finish(response, url, limit, allowed_types, watchdog)
            finally:
                response.release_conn()
                pool.close()
            next_url = urljoin(url, location).split("#", 1)[0]
            method, body = _redirected(method, body, response.status, base)
            if _origin(next_url) != _origin(url):
                for name in _CREDENTIAL_HEADERS:
                    base.pop(name, None)
            url = next_url
        raise FetchRefused(f"more than {MAX_REDIRECTS} redirects", url=url)
    finally:
        watchdog.cancel()


@contextmanager
def fetch_deadline(seconds: float) -> Iterator[None]:
    """Make every request inside end within ``seconds`` from now, all of them together (for
    what a person waits for)."""
    ends = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(ends if outer is None else min(outer, ends))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def fetch_json(url: str, *, sign: Signer | None = None) -> dict[str, Any]:
    """Fetch an ActivityPub document: a JSON object, or ``FetchRefused``."""
    result = safe_request(
        "GET", url, accept=ACTIVITY_ACCEPT, allowed_types=DOCUMENT_TYPES, sign=sign
    )
    raise_for_status(result)
    try:
        document = json.loads(result.body)
    except ValueError as error:
        raise FetchRefused("the answer is not JSON", url=result.url) from error
    if not isinstance(document, dict):
        raise FetchRefused("the answer is not a JSON object", url=result.url)
    return document


def fetch_media(url: str, *, max_bytes: int, allowed_types: Collection[str]) -> FetchResult:
    """Fetch a media file of one of ``allowed_types``, at most ``max_bytes`` long; refuse
    one on a server whose media the moderators reject."""
    if media_rejected(_host(url)):
        raise FetchRefused("media from this server are rejected by its moderators", url=url)
    result = safe_request(
        "GET",
        url,
        accept=", ".join(allowed_types),
        max_bytes=max_bytes,
        allowed_types=allowed_types,
    )
    raise_for_status(result)
    return result


def user_agent() -> str:
    """Return the User-Agent this server sends: Glimpse, its version, and the site."""
    site = site_url()
    return f"Glimpse/{GLIMPSE_VERSION}; +{site}" if site else f"Glimpse/{GLIMPSE_VERSION}"


def _open(
    method: str,
    url: str,
    target: Destination,
    headers: HTTPHeaderDict,
    body: bytes | None,
    seconds: float,
    watchdog: _Watchdog,
) -> tuple[BaseHTTPResponse, HTTPConnectionPool]:
    """Send one request to the checked address; return the answer, its body not yet read."""
    # A connection being opened has no socket to cut yet: its own timeout ends with the time left.
    timeout = Timeout(connect=min(seconds, watchdog.remaining()), read=seconds)
    pool: HTTPConnectionPool
    if target.scheme == "https":
        pool = _WatchedHTTPSPool(
            target.address,
            target.port,
            timeout=timeout,
            maxsize=1,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    else:
        pool = _WatchedHTTPPool(target.address, target.port, timeout=timeout, maxsize=1)
    pool.watchdog = watchdog
    try:
        response = pool.urlopen(
            method,
            target.path,
            body=body,
            headers=headers,
            retries=False,
            redirect=False,
            preload_content=False,
            assert_same_host=False,
        )
    except _CONNECTION_ERRORS as error:
        pool.close()
        raise _failure(error, url, watchdog) from error
    watchdog.watch_response(response)
    return response, pool


def _finish(
    response: BaseHTTPResponse,
    url: str,
    limit: int,
    allowed_types: Collection[str] | None,
    watchdog: _Watchdog,
) -> FetchResult:
    """Check the final answer's type and size, read its body, and return it."""
    media_type = (response.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    success = 200 <= response.status < 300
    if success and allowed_types is not None and not _type_allowed(media_type, allowed_types):
        raise FetchRefused(
            f"content type {media_type or 'none'} is not accepted", url=url, status=response.status
        )
    length = (response.headers.get("Content-Length") or "").strip()
    if length.isdigit() and int(length) > limit:
        raise FetchRefused(f"the answer is larger than {limit} bytes", url=url)
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read1(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise FetchRefused(f"the answer is larger than {limit} bytes", url=url)
            chunks.append(chunk)
    except _CONNECTION_ERRORS as error:
        raise _failure(error, url, watchdog) from error
    if watchdog.expired:
        raise _failure(UrllibTimeout(), url, watchdog)
    headers = {name.lower(): response.headers[name] for name in response.headers}
    return FetchResult(response.status, headers, b"".join(chunks), url, media_type)


def _type_allowed(media_type: str, allowed: Collection[str]) -> bool:
    """Tell whether a media type is one of the allowed ones (``image/*`` naming a family)."""
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == media_type or (
            pattern.endswith("/*") and media_type.startswith(pattern[:-1])
        ):
            return True
    return False


def _redirected(
    method: str, body: bytes | None, status: int, headers: HTTPHeaderDict
) -> tuple[str, bytes | None]:
    """Return the method and body of the request a redirect leads to, as browsers do; when
    the body goes, its describing headers go from ``headers`` too."""
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        for name in _BODY_HEADERS:
            headers.pop(name, None)
        return "GET", None
    return method, body


def _origin(url: str) -> tuple[str, str]:
    """Return a URL's scheme and authority, lower case."""
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def raise_for_status(result: FetchResult) -> None:
    """Raise ``FetchRefused`` for an answer that is not a success."""
    if not result.ok:
        transient = result.status >= 500 or result.status in (408, 429)
        raise FetchRefused(
            f"the server answered {result.status}",
            url=result.url,
            transient=transient,
            status=result.status,
        )


def _failure(error: Exception, url: str, watchdog: _Watchdog) -> FetchRefused:
    """Turn an error of the connection into a ``FetchRefused`` that says what happened."""
    if watchdog.expired:
        return FetchRefused(f"took longer than {watchdog.seconds:g} s", url=url, transient=True)
    if isinstance(error, NewConnectionError):
        return FetchRefused("could not connect", url=url, transient=True)
    if isinstance(error, UrllibTimeout | TimeoutError):
        return FetchRefused("timed out", url=url, transient=True)
    if isinstance(error, SSLError):
        return FetchRefused("TLS failed (certificate or handshake)", url=url, transient=True)
    if isinstance(error, ValueError):
        return FetchRefused(f"not a valid request ({error})", url=url)
    return FetchRefused(f"the connection failed ({error})", url=url, transient=True)


class _Watchdog:
    """Cut the connections of a request when its deadline passes, however slowly bytes come
    (a read timeout alone lets a server trickle one byte at a time for ever)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._ends = time.monotonic() + seconds
        self._cuts: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, connection: object) -> None:
        """Cut this connection's socket too when the deadline passes (headers being read)."""

        def cut() -> None:
            sock: socket.socket | None = getattr(connection, "sock", None)
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)

        self._add(cut)

    def watch_response(self, response: BaseHTTPResponse) -> None:
        """Cut this answer's socket when the deadline passes (its body being read)."""
        self._add(response.shutdown)

    def remaining(self) -> float:
        """Return the seconds left before the deadline (a little, never none)."""
        return max(self._ends - time.monotonic(), 0.01)

    def cancel(self) -> None:
        """Stop watching: the request is over."""
        self._timer.cancel()

    def _add(self, cut: Callable[[], None]) -> None:
        """Keep a cut for the deadline, or make it now if the deadline has passed."""
        with self._lock:
            self._cuts.append(cut)
            if self.expired:
                _quietly(cut)

    def _expire(self) -> None:
        """Shut the sockets down, so that a blocked read returns at once."""
        with self._lock:
            self.expired = True
            for cut in self._cuts:
                _quietly(cut)


def _quietly(cut: Callable[[], None]) -> None:
    """Cut a connection that may already be closed or given back."""
    with suppress(OSError, ValueError, RuntimeError):
        cut()


class _WatchedHTTPPool(HTTPConnectionPool):
    """A plain pool whose connections a watchdog can cut (loopback only, in tests)."""

    watchdog: _Watchdog

    def _new_conn(self) -> Any:
        """Open a connection under the watchdog's eye."""
        connection = super()._new_conn()
        self.watchdog.watch(connection)
        return connection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    """A TLS pool whose connections a watchdog can cut."""

    watchdog: _Watchdog

    def _new_conn(self) -> Any:
        """Open a connection under the watchdog's eye."""
        connection = super()._new_conn()
        self.watchdog.watch(connection)
        return connection


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""  # not a URL: safe_request refuses it
