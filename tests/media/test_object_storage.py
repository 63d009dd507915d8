"""Media in S3-compatible object storage, against a local S3 server started by the test.

The whole pipeline writes there (original, renditions), every URL the API gives is signed and
expires, and deleting a post's media deletes its objects.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto.server import ThreadedMotoServer

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from glimpse.media.selectors import media_renditions
from glimpse.media.storage import media_path, storage_delete_prefix
from tests.posts.conftest import media_for

__all__ = ["media_for"]

pytestmark = pytest.mark.django_db

BUCKET = "glimpse-media-test"
KEYS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def bucket(settings: Any) -> Iterator[Any]:
    """Start a local S3 server, make a private bucket, and store media there."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                **KEYS,
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": True,
                "signature_version": "s3v4",
            },
        },
    }
    try:
        yield client
    finally:
        server.stop()


def keys_in(client: Any) -> set[str]:
    listed = client.list_objects_v2(Bucket=BUCKET)
    return {entry["Key"] for entry in listed.get("Contents", [])}


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - 127.0.0.1
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_the_pipeline_writes_to_the_bucket_and_urls_are_signed(
    bucket: Any, make_user: Callable[..., User], media_for: Callable[..., list[MediaItem]]
) -> None:
    owner = make_user("ana", is_private=True)
    (item,) = media_for(owner)
    assert item.status == MediaItem.Status.READY
    stored = keys_in(bucket)
    assert any(key.startswith(f"media/{item.storage_key}/") for key in stored)
    renditions = media_renditions(item)
    assert renditions
    for rendition in renditions:
        url = rendition["url"]
        assert url.startswith("http://127.0.0.1:")
        assert "X-Amz-Signature=" in url
        assert "X-Amz-Expires=60" in url
    jpeg = next(r for r in renditions if r["format"] == "jpeg")
    status, body = fetch(jpeg["url"])
    assert status == 200
    assert body[:3] == b"\xff\xd8\xff"


def test_urls_expire_after_the_configured_time(
    bucket: Any,
    settings: Any,
    make_user: Callable[..., User],
    media_for: Callable[..., list[MediaItem]],
) -> None:
    # The local server does not enforce signatures (S3 does): what is checked here is that
    # every URL asks for the configured lifetime, freshly signed.
    options = {**settings.STORAGES["default"]["OPTIONS"], "querystring_expire": 7}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": options},
    }
    (item,) = media_for(make_user("ana"))
    for rendition in media_renditions(item):
        query = parse_qs(urlsplit(rendition["url"]).query)
        assert query["X-Amz-Expires"] == ["7"]
        signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
        assert abs(datetime.utcnow() - signed_at) < timedelta(minutes=2)


def test_deleting_media_deletes_its_objects(
    bucket: Any, make_user: Callable[..., User], media_for: Callable[..., list[MediaItem]]
) -> None:
    (item,) = media_for(make_user("ana"))
    prefix = media_path(item.storage_key)
    assert any(key.startswith(prefix + "/") for key in keys_in(bucket))
    storage_delete_prefix(prefix)
    assert not any(key.startswith(prefix + "/") for key in keys_in(bucket))
