"""Send a file with byte ranges, streamed in chunks under WSGI and ASGI alike.

Phones play video only from a server that answers ``Range`` (and seeking needs it). One
range is answered with 206 and its ``Content-Range``; a range past the end with 416; a
header that cannot be read, several ranges at once or a stale ``If-Range`` get the whole
file (a server may always ignore ``Range``). The body is read a chunk at a time: under ASGI
by an asynchronous iterator, since Django reads a synchronous one whole into memory there.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import IO

from django.core.handlers.asgi import ASGIRequest
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.utils.http import http_date, parse_http_date_safe
from django.views.static import was_modified_since

CHUNK_BYTES = 256 * 1024
_RANGE = re.compile(r"bytes=(\d{0,18})-(\d{0,18})", re.IGNORECASE)


class RangeNotSatisfiable(Exception):
    """The range asked for starts past the end of the file."""


@dataclass(frozen=True)
class ByteRange:
    """One range of bytes of a file: where it starts and how many bytes it holds."""

    start: int
    length: int

    @property
    def end(self) -> int:
        """Return the last byte's offset (inclusive, as Content-Range writes it)."""
        return self.start + self.length - 1


def byte_range(header: str, *, size: int) -> ByteRange | None:
    """Return the one range a Range header asks for, or None to send the whole file.

    Raise RangeNotSatisfiable when the range starts at or past the end of the file.
    """
    match = _RANGE.fullmatch(header.strip().replace(" ", ""))
    if match is None or size == 0:
        return None  # unreadable, several ranges, another unit, or nothing to cut
    first, last = match.groups()
    if not first:
        if not last:
            return None  # "bytes=-"
        suffix = int(last)
        if suffix == 0:
            raise RangeNotSatisfiable
        start = max(0, size - suffix)
        return ByteRange(start=start, length=size - start)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # an invalid range is ignored, not refused
    if start >= size:
        raise RangeNotSatisfiable
    return ByteRange(start=start, length=end - start + 1)


def file_response(
    request: HttpRequest,
    file: IO[bytes],
    *,
    size: int,
    content_type: str,
    modified: float | None = None,
) -> HttpResponseBase:
    """Answer with a file, or the one range of it the request asks for; close it when done."""
    since = request.headers.get("If-Modified-Since")
    if modified is not None and since is not None and not was_modified_since(since, modified):
        file.close()
        return HttpResponseNotModified()
    try:
        wanted = _wanted_range(request, size=size, modified=modified)
    except RangeNotSatisfiable:
        file.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    part = wanted or ByteRange(start=0, length=size)
    if request.method == "HEAD":
        file.close()
        response: HttpResponseBase = HttpResponse(content_type=content_type)
    elif isinstance(request, ASGIRequest):
        response = StreamingHttpResponse(_read_async(file, part), content_type=content_type)
    elif wanted is None:
        # The whole file: WSGI servers may hand it to the kernel (sendfile).
        response = FileResponse(file, content_type=content_type)
    else:
        response = StreamingHttpResponse(_read(file, part), content_type=content_type)
    response.status_code = 200 if wanted is None else 206
    response["Content-Length"] = str(part.length)
    response["Accept-Ranges"] = "bytes"
    if wanted is not None:
        response["Content-Range"] = f"bytes {part.start}-{part.end}/{size}"
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    return response


def _wanted_range(request: HttpRequest, *, size: int, modified: float | None) -> ByteRange | None:
    header = request.headers.get("Range")
    if not header or request.method not in ("GET", "HEAD"):
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None:
        # Only the date we send is a validator here: a range of a changed file would be
        # spliced into the old one, so anything else gets the whole file.
        when = parse_http_date_safe(if_range)
        if modified is None or when is None or when != int(modified):
            return None
    return byte_range(header, size=size)


def _read(file: IO[bytes], part: ByteRange) -> Iterator[bytes]:
    try:
        file.seek(part.start)
        left = part.length
        while left > 0:
            chunk = file.read(min(CHUNK_BYTES, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
    finally:
        file.close()


async def _read_async(file: IO[bytes], part: ByteRange) -> AsyncIterator[bytes]:
    try:
        # Disk reads happen in a worker thread, never on the event loop.
        await asyncio.to_thread(file.seek, part.start)
        left = part.length
        while left > 0:
            chunk = await asyncio.to_thread(file.read, min(CHUNK_BYTES, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
    finally:
        file.close()
