"""Who can fetch a media file by URL: only through the signed URLs the API and pages give.

A follower of a private account gets rendition URLs; changing the file name in one of them
to the original or the unfiltered edit base, dropping or altering the signature, or waiting
out its lifetime answers exactly like a missing file. The owner downloads the original only
through the owner-checked endpoint.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from glimpse.accounts.models import User
from glimpse.accounts.services import avatar_set
from glimpse.core import views as core_views
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.posts.conftest import client_for, follow, media_for, publish, small_jpeg

__all__ = ["client_for", "media_for", "publish"]

pytestmark = pytest.mark.django_db

MEDIA_URL = re.compile(r"/media/[^\"'\s,]+")


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana", is_private=True)


@pytest.fixture
def bea(make_user: Callable[..., User], ana: User) -> User:
    """A follower of ana's private account."""
    follower = make_user("bea")
    follow(follower, ana)
    return follower


@pytest.fixture
def post(ana: User, publish: Callable[..., Post]) -> Post:
    return publish(ana)


def rendition_urls(body: dict[str, Any]) -> list[str]:
    return [r["url"] for item in body["media"] for r in item["renditions"]]


def strangers(make_user: Callable[..., User]) -> dict[str, Client]:
    """An anonymous browser and a signed-in stranger's."""
    signed_in = Client()
    signed_in.force_login(make_user("cid"))
    return {"anonymous": Client(), "stranger": signed_in}


def missing_like(client: Client, url: str) -> str:
    """Return what a missing file answers, with a genuine signature for the missing name."""
    folder = urlsplit(url).path.removeprefix("/media/").rsplit("/", 1)[0]
    answer = client.get(default_storage.url(f"{folder}/no-such-file.jpg"))
    assert answer.status_code == 404
    return body_of(answer)


def body_of(response: Any) -> str:
    """Return a page without its CSRF token (a fresh one on each page of a signed-in account)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_follower_s_rendition_urls_serve_the_files(
    post: Post, bea: User, client_for: Callable[[User], ApiClient]
) -> None:
    body = client_for(bea).get(f"posts/{post.pk}").json()
    urls = rendition_urls(body)
    assert urls

    for url in urls:
        name = urlsplit(url).path.removeprefix("/media/")
        response: Any = Client().get(url)
        assert response.status_code == 200, url
        assert response["X-Content-Type-Options"] == "nosniff"
        with default_storage.open(name) as stored:
            assert b"".join(response.streaming_content) == stored.read()


def test_swapping_the_file_name_never_reaches_the_original_or_the_edit_base(
    post: Post,
    bea: User,
    client_for: Callable[[User], ApiClient],
    make_user: Callable[..., User],
) -> None:
    item = MediaItem.objects.get(pk=post.items.get().media_id)
    base = next(r["path"] for r in item.renditions if r["name"] == "base")
    private_files = [item.original_name, base]
    assert all(default_storage.exists(name) for name in private_files)
    url = rendition_urls(client_for(bea).get(f"posts/{post.pk}").json())[0]
    path, query = urlsplit(url).path, urlsplit(url).query
    attempts = (
        [f"/media/{name}?{query}" for name in private_files]
        + [f"/media/{name}" for name in private_files]
        + [path]
    )

    for who, client in {**strangers(make_user), "follower": _session(bea)}.items():
        missing = missing_like(client, url)
        for attempt in attempts:
            response = client.get(attempt)
            assert response.status_code == 404, (who, attempt)
            assert body_of(response) == missing, (who, attempt)
    assert all(default_storage.exists(name) for name in private_files)  # nothing changed


def test_a_former_follower_s_urls_stop_working_when_they_expire(
    post: Post,
    ana: User,
    bea: User,
    client_for: Callable[[User], ApiClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = client_for(bea)
    urls = rendition_urls(api.get(f"posts/{post.pk}").json())
    graph.follow_delete(follower=bea, followee=ana)
    assert api.get(f"posts/{post.pk}").status_code == 404  # no new URL for her
    expires = int(parse_qs(urlsplit(urls[0]).query)["expires"][0])
    browser = Client()
    missing = missing_like(browser, urls[0])

    # The clock of the view that serves the files moves past the URLs' expiry.
    monkeypatch.setattr(core_views, "time", SimpleNamespace(time=lambda: expires + 1))

    for url in urls:
        response = browser.get(url)
        assert response.status_code == 404, url
        assert body_of(response) == missing


def test_the_owner_gets_the_original_only_through_the_owner_endpoint(
    post: Post,
    ana: User,
    bea: User,
    client_for: Callable[[User], ApiClient],
    make_user: Callable[..., User],
) -> None:
    item = MediaItem.objects.get(pk=post.items.get().media_id)
    own = client_for(ana).get(f"media/{item.pk}/original")
    assert own.status_code == 200
    assert "attachment" in own["Content-Disposition"]
    with default_storage.open(item.original_name) as stored:
        assert b"".join(own.streaming_content) == stored.read()

    part = client_for(ana).get(f"media/{item.pk}/original", HTTP_RANGE="bytes=-100")
    assert part.status_code == 206
    assert "attachment" in part["Content-Disposition"]
    size = default_storage.size(item.original_name)
    assert part["Content-Range"] == f"bytes {size - 100}-{size - 1}/{size}"
    with default_storage.open(item.original_name) as stored:
        assert b"".join(part.streaming_content) == stored.read()[-100:]

    for other in (client_for(bea), client_for(make_user("cid"))):
        response = other.get(f"media/{item.pk}/original", HTTP_RANGE="bytes=-100")
        assert response.status_code == 404
        assert response.json() == other.get("media/1/original").json()
    # No URL the owner is given names a private file either.
    detail = client_for(ana).get(f"media/{item.pk}").json()
    for url in [r["url"] for r in detail["renditions"]] + rendition_urls(
        client_for(ana).get(f"posts/{post.pk}").json()
    ):
        assert not re.search(r"/(original\.\w+|base\.\w+|poster-base\.\w+|upload)\?", url)


def test_every_media_url_of_a_page_is_signed_and_served(post: Post, ana: User, bea: User) -> None:
    avatar = io.BytesIO(small_jpeg(7, size=(400, 400)))
    avatar_set(user=ana, upload=avatar, size_bytes=len(avatar.getvalue()))
    browser = _session(bea)
    pages = [reverse("posts:detail", args=[post.pk]), reverse("profile", args=["ana"])]

    for page in pages:
        html = browser.get(page).content.decode()
        urls = {url.replace("&amp;", "&") for url in MEDIA_URL.findall(html)}
        assert any("/avatars/" in url for url in urls), page
        assert any(f"/media/media/{_key(post)}/" in url for url in urls), page
        for url in urls:
            assert set(parse_qs(urlsplit(url).query)) == {"expires", "signature"}, url
            response: Any = Client().get(url)
            assert response.status_code == 200, url
            data = b"".join(response.streaming_content)
            if url.split("?")[0].endswith((".jpg", ".webp")):
                Image.open(io.BytesIO(data)).verify()
            unsigned = Client().get(url.split("?")[0])
            assert unsigned.status_code == 404, url


def _session(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _key(post: Post) -> str:
    return MediaItem.objects.get(pk=post.items.get().media_id).storage_key
