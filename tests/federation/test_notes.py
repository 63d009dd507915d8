"""A post as an ActivityPub Note: its fields, its media, its audience, and the post page's
content negotiation (docs/federation.md, "Posts as Notes")."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import blurhash
import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from glimpse.accounts.models import User
from glimpse.federation.media_links import media_key
from glimpse.federation.notes import BLURHASH_MAX_COMPONENTS, create_of, note_of
from glimpse.graph.services import content_hide
from glimpse.media.services import media_update
from glimpse.posts import services
from glimpse.posts.models import Post
from glimpse.posts.services.specs import ItemSpec, PlaceSpec
from glimpse.posts.shown import post_shown
from tests.federation.notes_fixtures import (
    AP_ACCEPT,
    BROWSER_ACCEPT,
    LD_ACCEPT,
    SITE,
    federating,
    fetch,
    site_path,
)
from tests.posts.conftest import follow, media_for

__all__ = ["federating", "fetch", "media_for"]

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CAPTION = "Morning at the lake\n\nwith @sam <3 #Sunrise #lake\nsecond line"

pytestmark = pytest.mark.usefixtures("federating")


@pytest.fixture
def rita(make_user: Callable[..., User]) -> User:
    return make_user("rita", display_name="Rita")


@pytest.fixture
def sam(make_user: Callable[..., User]) -> User:
    return make_user("sam")


@pytest.fixture
def lake_post(rita: User, sam: User, media_for: Callable[..., list[Any]]) -> Post:
    """A public post of two photos with alt texts, a focal point, a place, tags, a mention."""
    first, second = media_for(rita, 2)
    media_update(owner=rita, media_id=first.pk, focus=(-0.5, 0.25))
    return services.post_create(
        author=rita,
        media_ids=[first.pk, second.pk],
        caption=CAPTION,
        items=[ItemSpec(alt_text="A lake at dawn"), ItemSpec(alt_text="Sam waving")],
        place=PlaceSpec(name="Lake Bled", lat=46.3625, lng=14.0936),
    )


def note_json(response: Any) -> dict[str, Any]:
    """Return the Note of an answer, after checking it is an ActivityPub document."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/activity+json; charset=utf-8"
    assert "Accept" in response["Vary"]
    document: dict[str, Any] = json.loads(response.content)
    return document


def test_the_note_of_a_photo_post_carries_every_field(
    lake_post: Post, sam: User, fetch: Callable[..., Any]
) -> None:
    note = note_json(fetch(f"/p/{lake_post.pk}/"))
    permalink = f"{SITE}/p/{lake_post.pk}/"
    context = note.pop("@context")
    assert context[0] == "https://www.w3.org/ns/activitystreams"
    assert {"blurhash", "focalPoint", "sensitive", "Hashtag", "toot"} <= set(context[-1])
    attachments = note.pop("attachment")
    assert note == {
        "id": permalink,
        "type": "Note",
        "url": permalink,
        "attributedTo": f"{SITE}/users/rita",
        "published": lake_post.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "to": [PUBLIC],
        "cc": [f"{SITE}/users/rita/followers", f"{SITE}/users/sam"],
        "summary": None,
        "sensitive": False,
        "content": (
            "<p>Morning at the lake</p><p>with "
            f'<span class="h-card"><a href="{SITE}/sam/" class="u-url mention">'
            "@<span>sam</span></a></span> &lt;3 "
            f'<a href="{SITE}/explore/tags/sunrise/" class="mention hashtag" rel="tag">'
            "#<span>Sunrise</span></a> "
            f'<a href="{SITE}/explore/tags/lake/" class="mention hashtag" rel="tag">'
            "#<span>lake</span></a><br>second line</p>"
        ),
        "source": {"content": CAPTION, "mediaType": "text/plain"},
        "tag": [
            {"type": "Hashtag", "href": f"{SITE}/explore/tags/sunrise/", "name": "#sunrise"},
            {"type": "Hashtag", "href": f"{SITE}/explore/tags/lake/", "name": "#lake"},
            {"type": "Mention", "href": f"{SITE}/users/sam", "name": "@sam@glimpse.test"},
        ],
        "location": {
            "type": "Place",
            "name": "Lake Bled",
            "latitude": 46.3625,
            "longitude": 14.0936,
        },
    }
    items = list(lake_post.items.order_by("position").select_related("media"))
    assert [a["type"] for a in attachments] == ["Image", "Image"]
    assert [a["mediaType"] for a in attachments] == ["image/jpeg", "image/jpeg"]
    assert [a["name"] for a in attachments] == ["A lake at dawn", "Sam waving"]
    assert [a["summary"] for a in attachments] == ["A lake at dawn", "Sam waving"]
    # Glimpse keeps Mastodon's convention (x right, y up): the point passes as it is.
    assert attachments[0]["focalPoint"] == [-0.5, 0.25]
    assert "focalPoint" not in attachments[1]
    for attachment, item in zip(attachments, items, strict=True):
        key = media_key(item.media_id, "1080", "jpg")
        assert attachment["url"] == f"{SITE}/federation/media/{item.media_id}/1080.jpg?key={key}"
        # The address written out is the route's.
        route = reverse(
            "federation:media", kwargs={"media_id": item.media_id, "name": "1080", "ext": "jpg"}
        )
        assert urlsplit(attachment["url"]).path == route
        assert attachment["blurhash"] == item.media.blurhash
        x_count, y_count = blurhash_components(attachment["blurhash"])
        assert max(x_count, y_count) <= BLURHASH_MAX_COMPONENTS
        assert blurhash.decode(attachment["blurhash"], 8, 8).size == (8, 8)
        picture = fetched_file(fetch, attachment["url"])
        with Image.open(io.BytesIO(picture)) as image:
            assert image.format == "JPEG"
            assert image.size == (attachment["width"], attachment["height"])
            assert max(image.size) <= 5000


def test_an_edited_post_says_when(
    lake_post: Post, rita: User, fetch: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    assert "updated" not in note_json(fetch(f"/p/{lake_post.pk}/"))
    with django_capture_on_commit_callbacks(execute=True):  # the cached card is dropped
        services.post_update(actor=rita, post_id=lake_post.pk, caption="Evening now")
    lake_post.refresh_from_db()
    assert lake_post.edited_at is not None
    note = note_json(fetch(f"/p/{lake_post.pk}/"))
    assert note["updated"] == lake_post.edited_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert note["content"] == "<p>Evening now</p>"
    assert note["tag"] == []
    assert note["cc"] == [f"{SITE}/users/rita/followers"]


def test_a_post_without_place_has_no_location(
    rita: User, media_for: Callable[..., list[Any]], fetch: Callable[..., Any]
) -> None:
    [photo] = media_for(rita)
    post = services.post_create(author=rita, media_ids=[photo.pk])
    note = note_json(fetch(f"/p/{post.pk}/"))
    assert "location" not in note
    assert note["content"] == ""
    # The media item's own alt text, from its upload.
    assert note["attachment"][0]["name"] == "upload"


def test_the_create_activity_wraps_the_note(lake_post: Post, rita: User) -> None:
    view = post_shown(viewer=None, post_id=lake_post.pk)
    note, create = note_of(view), create_of(view)
    permalink = f"{SITE}/p/{lake_post.pk}/"
    assert create["id"] == permalink + "#create"
    assert create["type"] == "Create"
    assert create["actor"] == f"{SITE}/users/rita"
    assert create["published"] == note["published"]
    assert (create["to"], create["cc"]) == (note["to"], note["cc"])
    assert create["@context"] == note["@context"]
    assert create["object"] == {k: v for k, v in note.items() if k != "@context"}


def test_a_video_post_is_a_video_attachment(
    rita: User, media_for: Callable[..., list[Any]], fetch: Callable[..., Any]
) -> None:
    [video] = media_for(rita, video=True, width=320, height=240)
    post = services.post_create(author=rita, media_ids=[video.pk], caption="Waves")
    [attachment] = note_json(fetch(f"/p/{post.pk}/"))["attachment"]
    assert attachment["type"] == "Video"
    assert attachment["mediaType"] == "video/mp4"
    key = media_key(video.pk, "720", "mp4")
    assert attachment["url"] == f"{SITE}/federation/media/{video.pk}/720.mp4?key={key}"
    assert (attachment["width"], attachment["height"]) == (320, 240)
    movie = fetched_file(fetch, attachment["url"])
    assert movie[4:8] == b"ftyp"  # an MP4 file
    assert attachment["icon"]["mediaType"] == "image/jpeg"
    with Image.open(io.BytesIO(fetched_file(fetch, attachment["icon"]["url"]))) as poster:
        assert poster.format == "JPEG"


def test_a_private_accounts_post_goes_to_its_followers_only(
    make_user: Callable[..., User],
    sam: User,
    media_for: Callable[..., list[Any]],
    fetch: Callable[..., Any],
) -> None:
    lea = make_user("lea", is_private=True)
    follow(sam, lea)
    [photo] = media_for(lea)
    post = services.post_create(author=lea, media_ids=[photo.pk], caption="Hi @sam")
    view = post_shown(viewer=lea, post_id=post.pk)
    note, create = note_of(view), create_of(view)
    assert note["to"] == [f"{SITE}/users/lea/followers"]
    assert note["cc"] == [f"{SITE}/users/sam"]
    assert PUBLIC not in json.dumps(note)
    assert PUBLIC not in json.dumps(create)
    assert (create["to"], create["cc"]) == (note["to"], note["cc"])
    # Until signed fetches are verified, nobody fetches it: not a stranger, not a follower.
    anonymous = fetch(f"/p/{post.pk}/")
    assert anonymous.status_code == 404
    assert "Accept" in anonymous["Vary"]
    follower = Client()
    follower.force_login(sam)
    as_follower = follower.get(f"/p/{post.pk}/", headers={"accept": AP_ACCEPT})
    assert as_follower.status_code == 404
    assert as_follower.content == anonymous.content == fetch("/p/1/").content
    # Its media are served only to holders of the Note's address, key included (the servers
    # it was sent to): without the key, or with another, they are not found.
    url = note["attachment"][0]["url"]
    assert fetch(url).status_code == 302
    bare, _, key = url.partition("?key=")
    assert fetch(bare).status_code == 404
    assert fetch(f"{bare}?key={key[::-1]}").status_code == 404
    assert follower.get(f"/p/{post.pk}/", headers={"accept": BROWSER_ACCEPT}).status_code == 200
    # Once its followers may not see it either (archived), the key opens nothing.
    services.post_archive(actor=lea, post_id=post.pk)
    assert fetch(url).status_code == 404


def test_archived_hidden_and_deleted_posts_are_not_found(
    rita: User, media_for: Callable[..., list[Any]], fetch: Callable[..., Any]
) -> None:
    archived, hidden, deleted = (
        services.post_create(author=rita, media_ids=[m.pk]) for m in media_for(rita, 3)
    )
    urls = {
        post.pk: note_json(fetch(f"/p/{post.pk}/"))["attachment"][0]["url"]
        for post in (archived, hidden, deleted)
    }
    services.post_archive(actor=rita, post_id=archived.pk)
    content_hide(kind="post", target_id=hidden.pk)
    services.post_delete(actor=rita, post_id=deleted.pk)
    for post in (archived, hidden, deleted):
        assert fetch(f"/p/{post.pk}/").status_code == 404
        assert fetch(urls[post.pk]).status_code == 404
    assert Post.objects.filter(pk=deleted.pk).count() == 0
    assert Post.objects.filter(pk__in=[archived.pk, hidden.pk]).count() == 2


def test_media_addresses_serve_only_posted_renditions(
    lake_post: Post, rita: User, media_for: Callable[..., list[Any]], fetch: Callable[..., Any]
) -> None:
    media_id = lake_post.items.order_by("position").first().media_id  # type: ignore[union-attr]
    [unposted] = media_for(rita)
    assert fetch(f"/federation/media/{media_id}/640.jpg", follow=True).status_code == 200
    assert fetch(f"/federation/media/{media_id}/1080.webp").status_code == 404
    assert fetch(f"/federation/media/{media_id}/base.jpg").status_code == 404
    assert fetch(f"/federation/media/{media_id}/original.jpg").status_code == 404
    assert fetch(f"/federation/media/{unposted.pk}/1080.jpg").status_code == 404
    assert fetch("/federation/media/1/1080.jpg").status_code == 404


@pytest.mark.parametrize(
    ("accept", "json_answer"),
    [
        (AP_ACCEPT, True),
        (LD_ACCEPT, True),
        ("application/ld+json", True),
        ("application/activity+json, text/html;q=0.5", True),
        ("application/activity+json;q=0.9, */*;q=0.1", True),
        (BROWSER_ACCEPT, False),
        ("", False),
        ("*/*", False),
        ('application/ld+json; profile="https://example.com/other"', False),
        ("text/html, application/activity+json;q=0.5", False),
        ("application/activity+json;q=0", False),
    ],
)
def test_the_post_page_answers_what_the_request_prefers(
    lake_post: Post, fetch: Callable[..., Any], accept: str, json_answer: bool
) -> None:
    response = fetch(f"/p/{lake_post.pk}/", accept=accept)
    assert response.status_code == 200
    assert "Accept" in response["Vary"]
    if json_answer:
        assert note_json(response)["type"] == "Note"
    else:
        assert response["Content-Type"].startswith("text/html")
        assert b"Morning at the lake" in response.content


def test_with_federation_off_the_page_is_unchanged_and_no_note_is_served(
    lake_post: Post, settings: Any, fetch: Callable[..., Any]
) -> None:
    url = note_json(fetch(f"/p/{lake_post.pk}/"))["attachment"][0]["url"]
    settings.GLIMPSE_FEDERATION = False
    for accept in (AP_ACCEPT, LD_ACCEPT, BROWSER_ACCEPT):
        response = fetch(f"/p/{lake_post.pk}/", accept=accept)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "Accept" not in response.get("Vary", "")
        assert b"Morning at the lake" in response.content
    assert fetch(url).status_code == 404


def fetched_file(fetch: Callable[..., Any], url: str) -> bytes:
    """Return the bytes a lasting media address leads to, through its redirect."""
    redirect = fetch(url)
    assert redirect.status_code == 302
    assert "max-age" in redirect["Cache-Control"]
    served = fetch(site_path(redirect["Location"]), accept="*/*")
    assert served.status_code == 200
    return b"".join(served.streaming_content) if served.streaming else served.content


def blurhash_components(value: str) -> tuple[int, int]:
    """Return the number of components of a blurhash along x and y."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
    size = alphabet.index(value[0])
    return size % 9 + 1, size // 9 + 1
