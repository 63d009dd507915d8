"""The local media folder: signed, expiring URLs and byte ranges, as object storage serves them.

Files are written straight into MEDIA_ROOT and fetched through the URL the storage gives,
with the test client (WSGI, as gunicorn runs the app) and the async one (ASGI, as uvicorn
runs it for `make run`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from asgiref.sync import async_to_sync
from django.core.checks import run_checks
from django.core.files.storage import default_storage
from django.test import AsyncClient, Client
from django.utils.http import http_date

from glimpse.core import files
from glimpse.core.storage import media_url_expiry, media_url_signature
from glimpse.core.views import MEDIA_POLICY

pytestmark = pytest.mark.django_db

BODY = bytes(range(256)) * 40  # 10,240 bytes, each offset recognisable
SIZE = len(BODY)
NAME = "media/k1/v2/1080.mp4"


@pytest.fixture
def stored(settings: Any) -> Callable[[str, bytes], str]:
    """Write a file under MEDIA_ROOT and return the URL the storage gives for it."""

    def put(name: str, data: bytes = BODY) -> str:
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return str(default_storage.url(name))

    return put


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def signed(name: str, expires: int) -> str:
    query = urlencode(
        {"expires": expires, "signature": media_url_signature(name=name, expires=expires)}
    )
    return f"/media/{name}?{query}"


def streamed(response: Any) -> list[bytes]:
    """Return the chunks of a streamed answer."""
    assert response.streaming
    return list(response.streaming_content)


def test_a_signed_url_serves_the_file_with_its_headers(
    client: Client, stored, django_assert_num_queries: Any
) -> None:
    url = stored(NAME)

    with django_assert_num_queries(0):  # checking the signature asks nothing of the database
        response = client.get(url)

    assert response.status_code == 200
    assert b"".join(streamed(response)) == BODY
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(SIZE)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"] == 'inline; filename="1080.mp4"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == MEDIA_POLICY
    assert response["Cache-Control"].startswith("private, max-age=")


def test_every_url_is_signed_and_lives_the_configured_lifetime(stored, settings: Any) -> None:
    settings.GLIMPSE_MEDIA_URL_SECONDS = 600
    before = time.time()
    url = stored(NAME)

    query = query_of(url)
    assert urlsplit(url).path == f"/media/{NAME}"
    assert set(query) == {"expires", "signature"}
    # At least the lifetime, at most one step (a tenth of it) more.
    assert before + 600 <= int(query["expires"]) <= time.time() + 600 + 60
    # Pages rendered within one step give the same URL, so browsers can cache the file.
    assert media_url_expiry(now=int(query["expires"]) - 600) == int(query["expires"])


def test_a_lifetime_shorter_than_the_cached_cards_is_refused(settings: Any) -> None:
    settings.GLIMPSE_CARD_TTL = 3600
    settings.GLIMPSE_MEDIA_URL_SECONDS = 3600

    assert [error.id for error in run_checks() if error.id == "glimpse.E010"] == ["glimpse.E010"]
    settings.GLIMPSE_MEDIA_URL_SECONDS = 3601
    assert [error for error in run_checks() if error.id == "glimpse.E010"] == []


def tampered(url: str) -> list[str]:
    """Return the ways of changing a signed URL that must not reach a file."""
    path, query = urlsplit(url).path, query_of(url)
    expires, signature = query["expires"], query["signature"]
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    folder = path.rsplit("/", 2)[0]
    return [
        path,  # unsigned
        f"{path}?expires={expires}",
        f"{path}?signature={signature}",
        f"{path}?expires={expires}&signature={flipped}",
        f"{path}?expires={int(expires) + 1}&signature={signature}",
        f"{path}?expires={expires}&signature={signature}:{signature}",
        f"{path}?expires=1e99&signature={signature}",
        f"{path}?expires={'9' * 5000}&signature={signature}",
        # Another file of the same item with this URL's signature: the original, the
        # unfiltered edit base, another rendition, the same name with another spelling.
        f"{folder}/original.jpg?expires={expires}&signature={signature}",
        f"{folder}/v1/base.webp?expires={expires}&signature={signature}",
        f"{folder}/v2/base.webp?expires={expires}&signature={signature}",
        f"{folder}/v2/640.mp4?expires={expires}&signature={signature}",
        f"{folder}/v2/./1080.mp4?expires={expires}&signature={signature}",
        f"{folder}/v1/../v2/1080.mp4?expires={expires}&signature={signature}",
        # A folder, however signed.
        signed(folder.removeprefix("/media/") + "/v2", int(expires)),
    ]


def test_unsigned_tampered_or_moved_urls_answer_like_a_missing_file(client: Client, stored) -> None:
    url = stored(NAME)
    for other in ("media/k1/original.jpg", "media/k1/v1/base.webp", "media/k1/v2/base.webp"):
        stored(other, b"\xff\xd8\xff the uncropped, unfiltered original")
    stored("media/k1/v2/640.mp4")
    missing = client.get(signed("media/k1/v2/nothing.mp4", int(time.time()) + 60))
    assert missing.status_code == 404

    for attempt in tampered(url):
        response = client.get(attempt)
        assert response.status_code == 404, attempt
        assert response.content == missing.content, attempt
        assert not response.has_header("Content-Disposition")
    assert client.get(url).status_code == 200  # the real one still works


def test_an_expired_url_answers_like_a_missing_file(client: Client, stored) -> None:
    stored(NAME)
    now = int(time.time())
    missing = client.get(signed("media/k1/v2/nothing.mp4", now + 60))

    expired = client.get(signed(NAME, now - 1))

    assert expired.status_code == 404
    assert expired.content == missing.content
    assert client.get(signed(NAME, now + 60)).status_code == 200


def test_a_url_signed_with_another_secret_key_is_refused(
    client: Client, stored, settings: Any
) -> None:
    url = stored(NAME)
    rotated = "another-" + settings.SECRET_KEY
    settings.SECRET_KEY = rotated
    assert client.get(url).status_code == 404
    # Rotating the key keeps the URLs already given valid while the old key is a fallback.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY.removeprefix("another-")]
    assert client.get(url).status_code == 200


# --- Byte ranges ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-199", 100, 199),
        ("bytes=100-", 100, SIZE - 1),  # open range
        ("bytes=-500", SIZE - 500, SIZE - 1),  # suffix range
        ("bytes=-999999", 0, SIZE - 1),  # a suffix longer than the file: all of it
        ("bytes=10000-999999", 10000, SIZE - 1),  # an end past the file is cut to it
        ("bytes=0-0", 0, 0),
        (f"bytes={SIZE - 1}-", SIZE - 1, SIZE - 1),
        ("BYTES = 5-9", 5, 9),
    ],
)
def test_a_range_answers_206_with_its_bytes(
    client: Client, stored, header: str, start: int, end: int
) -> None:
    url = stored(NAME)

    response = client.get(url, HTTP_RANGE=header)

    assert response.status_code == 206
    assert b"".join(streamed(response)) == BODY[start : end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"] == 'inline; filename="1080.mp4"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == MEDIA_POLICY


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"])
def test_a_range_past_the_end_answers_416(client: Client, stored, header: str) -> None:
    url = stored(NAME)

    response = client.get(url, HTTP_RANGE=header)

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response.content == b""


@pytest.mark.parametrize(
    "header",
    ["bytes=abc", "bytes=5-2", "bytes=-", "items=0-10", "bytes=0-1,5-6", "0-10", "bytes=1-2-3"],
)
def test_an_unreadable_range_gets_the_whole_file(client: Client, stored, header: str) -> None:
    url = stored(NAME)

    response = client.get(url, HTTP_RANGE=header)

    assert response.status_code == 200
    assert b"".join(streamed(response)) == BODY
    assert not response.has_header("Content-Range")
    assert response["Accept-Ranges"] == "bytes"


def test_head_answers_the_headers_without_the_body(client: Client, stored) -> None:
    url = stored(NAME)

    whole = client.head(url)
    part = client.head(url, HTTP_RANGE="bytes=-500")

    assert (whole.status_code, whole["Content-Length"], whole.content) == (200, str(SIZE), b"")
    assert whole["Accept-Ranges"] == "bytes"
    assert (part.status_code, part["Content-Length"], part.content) == (206, "500", b"")
    assert part["Content-Range"] == f"bytes {SIZE - 500}-{SIZE - 1}/{SIZE}"


def test_if_range_with_another_date_gets_the_whole_file(client: Client, stored) -> None:
    url = stored(NAME)
    modified = client.head(url)["Last-Modified"]

    same = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=modified)
    other = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=http_date(1_000_000))
    etag = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"some-etag"')

    assert same.status_code == 206
    assert (other.status_code, etag.status_code) == (200, 200)


def test_a_range_is_streamed_a_chunk_at_a_time(
    client: Client, stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "CHUNK_BYTES", 1000)
    url = stored(NAME)

    response = client.get(url, HTTP_RANGE="bytes=100-")

    chunks = streamed(response)
    assert max(len(chunk) for chunk in chunks) == 1000
    assert b"".join(chunks) == BODY[100:]


def test_under_asgi_a_range_is_streamed_without_reading_the_file_whole(
    stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "CHUNK_BYTES", 1000)
    url = stored(NAME)

    is_async, chunks, headers = async_to_sync(fetch_async)(url, Range="bytes=100-")

    # An asynchronous iterator: Django reads a synchronous one whole into memory under ASGI.
    assert is_async
    assert max(len(chunk) for chunk in chunks) == 1000
    assert b"".join(chunks) == BODY[100:]
    assert headers["Content-Range"] == f"bytes 100-{SIZE - 1}/{SIZE}"
    assert headers["status"] == "206"


def test_under_asgi_the_whole_file_is_streamed_too(stored) -> None:
    url = stored(NAME)

    is_async, chunks, headers = async_to_sync(fetch_async)(url)

    assert is_async
    assert b"".join(chunks) == BODY
    assert (headers["status"], headers["Accept-Ranges"]) == ("200", "bytes")


async def fetch_async(url: str, **headers: str) -> tuple[bool, list[bytes], dict[str, str]]:
    """Fetch through Django's ASGI handler, as uvicorn runs it."""
    response: Any = await AsyncClient().get(url, headers=headers)
    chunks = [chunk async for chunk in response.streaming_content]
    headers = {**response.headers, "status": str(response.status_code)}
    return response.is_async, chunks, headers
