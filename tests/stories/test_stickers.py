"""Story stickers: stored as data with the story, checked before anything is written, shown
in the API and as live links in the viewer, and only what the viewer may see is linked."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glimpse.core.errors import InvalidInput
from glimpse.posts import services as posts
from glimpse.stories import selectors, services
from glimpse.stories.models import Story, StorySticker
from tests.stories.conftest import api_as, block, follow_approved, snapshot, web_as

pytestmark = pytest.mark.django_db


def place_of(author, media_for) -> Any:
    """Make a place the author may use: a post of theirs was made there."""
    (item,) = media_for(author)
    post = posts.post_create(
        author=author,
        media_ids=[item.pk],
        place=posts.PlaceSpec(name="Belém Tower", address="Lisbon", lat=38.6916, lng=-9.216),
    )
    return post.place


def every_kind(place_id: int) -> list[dict[str, Any]]:
    return [
        {"kind": "text", "x": 0.5, "y": 0.2, "text": "Hello\nthere"}
        | {"style": "neon", "color": "pink"},
        {"kind": "mention", "x": 0.3, "y": 0.6, "username": "@Fern"},
        {"kind": "hashtag", "x": 0.7, "y": 0.7, "tag": "#Lisbon"},
        {"kind": "place", "x": 0.5, "y": 0.8, "place_id": str(place_id)},
        {"kind": "link", "x": 0.5, "y": 0.9, "url": "https://example.com/menu?x=1"},
    ]


def test_stickers_are_stored_as_data_and_shown_in_the_api(make_user, media_for) -> None:
    author, fern = make_user("olive"), make_user("fern")
    place = place_of(author, media_for)
    (media,) = media_for(author)
    response = api_as(author).post(
        "stories", {"media_id": str(media.pk), "stickers": every_kind(place.pk)}
    )
    assert response.status_code == 201, response.json()
    stickers = response.json()["stickers"]
    assert [s["kind"] for s in stickers] == ["text", "mention", "hashtag", "place", "link"]
    text, mention, hashtag, where, link = stickers
    assert (text["x"], text["y"], text["text"], text["style"], text["color"]) == (
        0.5,
        0.2,
        "Hello\nthere",
        "neon",
        "pink",
    )
    assert mention["account"]["username"] == "fern"
    assert mention["account"]["id"] == str(fern.pk)
    assert mention["text"] == "fern"
    assert mention["style"] is None
    assert (hashtag["text"], hashtag["tag"]) == ("Lisbon", "lisbon")
    assert where["place"] == {"id": str(place.pk), "name": "Belém Tower"}
    assert (link["url"], link["text"]) == ("https://example.com/menu?x=1", "example.com")
    # Kept as rows with the story, not painted into its picture.
    rows = StorySticker.objects.filter(story_id=response.json()["id"]).order_by("position")
    assert [(r.kind, r.account_id, r.place_id) for r in rows][1:4] == [
        ("mention", fern.pk, None),
        ("hashtag", None, None),
        ("place", None, place.pk),
    ]


def bad(field: str, case: str, kind: str = "text", **given: Any) -> Any:
    """One refused sticker: the field the error names, and the sticker (x, y at 0.5 unless
    given; ``missing`` drops a key)."""
    missing = given.pop("missing", None)
    sticker: dict[str, Any] = {"kind": kind, "x": 0.5, "y": 0.5, **given}
    if missing:
        del sticker[missing]
    return pytest.param(sticker, f"stickers.0.{field}", id=case)


BAD = [
    bad("kind", "unknown-kind", kind="gif"),
    bad("x", "x-over-1", x=1.5, text="a"),
    bad("x", "x-negative", x=-0.1, text="a"),
    bad("x", "x-bool", x=True, text="a"),
    bad("y", "y-missing", text="a", missing="y"),
    bad("text", "blank", text="  "),
    bad("text", "long", text="a" * 201),
    bad("style", "style", text="a", style="comic"),
    bad("color", "colour", text="a", color="#123456"),
    bad("username", "no-account", kind="mention", username="nobody"),
    bad("username", "blocker", kind="mention", username="bart"),
    bad("tag", "tag-space", kind="hashtag", tag="two words"),
    bad("tag", "tag-digits", kind="hashtag", tag="123"),
    bad("place_id", "place", kind="place", place_id="999"),
    bad("url", "js", kind="link", url="javascript:alert(1)"),
    bad("url", "ftp", kind="link", url="ftp://example.com/"),
    bad("url", "no-host", kind="link", url="https://"),
    bad("url", "no-scheme", kind="link", url="example.com"),
]


@pytest.mark.parametrize(("sticker", "field"), BAD)
def test_bad_stickers_are_refused_with_nothing_written(make_user, media_for, sticker, field):
    author, bart = make_user("olive"), make_user("bart")
    block(bart, author)
    (media,) = media_for(author)
    before = snapshot()
    response = api_as(author).post("stories", {"media_id": str(media.pk), "stickers": [sticker]})
    assert response.status_code == 422, response.json()
    assert field in response.json()["error"]["fields"]
    assert snapshot() == before
    assert not StorySticker.objects.exists()


def test_at_most_ten_stickers(make_user, media_for) -> None:
    author = make_user("olive")
    (media,) = media_for(author)
    eleven = [{"kind": "text", "x": 0.5, "y": 0.5, "text": str(i)} for i in range(11)]
    before = snapshot()
    response = api_as(author).post("stories", {"media_id": str(media.pk), "stickers": eleven})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"stickers": ["A story has at most 10 stickers."]}
    assert snapshot() == before
    ten = api_as(author).post("stories", {"media_id": str(media.pk), "stickers": eleven[:10]})
    assert ten.status_code == 201
    assert len(ten.json()["stickers"]) == 10


def test_services_refuse_stickers_that_are_not_a_list(make_user, media_for) -> None:
    author = make_user("olive")
    (media,) = media_for(author)
    before = snapshot()
    with pytest.raises(InvalidInput):
        services.story_create(author=author, media_id=media.pk, stickers={"kind": "text"})  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        services.story_create(author=author, media_id=media.pk, stickers=["text"])  # type: ignore[list-item]
    assert snapshot() == before


def test_the_viewer_draws_stickers_as_live_links(make_user, media_for) -> None:
    author, fern = make_user("olive"), make_user("fern")
    place = place_of(author, media_for)
    (media,) = media_for(author)
    story = services.story_create(author=author, media_id=media.pk, stickers=every_kind(place.pk))
    page = web_as(fern).get("/stories/olive/").content.decode()
    assert f'data-story="{story.pk}"' in page
    assert 'href="/fern/"' in page
    assert "@fern</a>" in page
    assert 'href="/explore/tags/lisbon/"' in page
    assert f'href="/explore/places/{place.pk}/"' in page
    assert 'href="https://example.com/menu?x=1" rel="noopener nofollow ugc" target="_blank"' in page
    assert "Hello<br>there" in page
    assert "left: 50.00%; top: 20.00%;" in page


def test_a_mention_the_viewer_may_not_see_is_not_linked(make_user, media_for) -> None:
    author, fern, viewer = make_user("olive"), make_user("fern"), make_user("victor")
    follow_approved(viewer, author)
    block(fern, viewer)
    (media,) = media_for(author)
    services.story_create(
        author=author,
        media_id=media.pk,
        stickers=[{"kind": "mention", "x": 0.5, "y": 0.5, "username": "fern"}],
    )
    (seen,) = api_as(viewer).get("accounts/olive/stories").json()["items"]
    assert seen["stickers"][0]["account"] is None
    page = web_as(viewer).get("/stories/olive/").content.decode()
    assert 'href="/fern/"' not in page
    assert "@fern</span>" in page
    (own,) = api_as(author).get("accounts/olive/stories").json()["items"]
    assert own["stickers"][0]["account"]["username"] == "fern"


def test_the_web_form_refuses_bad_stickers_with_a_clear_error(make_user, media_for) -> None:
    author = make_user("olive")
    (media,) = media_for(author)
    client = web_as(author)
    before = snapshot()
    bad = json.dumps([{"kind": "link", "x": 0.5, "y": 0.5, "url": "javascript:alert(1)"}])
    response = client.post("/stories/new/", {"media_id": media.pk, "stickers": bad})
    assert response.status_code == 422
    assert "starting with https:// or http://" in response.content.decode()
    assert snapshot() == before
    garbled = client.post("/stories/new/", {"media_id": media.pk, "stickers": "[{"})
    assert garbled.status_code == 422
    assert "could not be read" in garbled.content.decode()
    assert snapshot() == before
    good = json.dumps([{"kind": "text", "x": 0.25, "y": 0.75, "text": "Hi", "style": "strong"}])
    done = client.post(
        "/stories/new/", {"media_id": media.pk, "stickers": good, "audience": "close_friends"}
    )
    assert done.status_code == 302
    story = Story.objects.get()
    assert story.audience == "close_friends"
    assert list(story.stickers.values_list("kind", "x", "y", "style")) == [
        ("text", 0.25, 0.75, "strong")
    ]


def test_reading_stories_with_stickers_takes_a_fixed_number_of_queries(
    make_user, media_for
) -> None:
    author, fan = make_user("olive"), make_user("fern")
    place = place_of(author, media_for)
    (first,) = media_for(author)
    services.story_create(author=author, media_id=first.pk, stickers=every_kind(place.pk))
    with CaptureQueriesContext(connection) as one:
        selectors.account_stories(viewer=fan, username="olive")
    for item in media_for(author, 3):
        services.story_create(author=author, media_id=item.pk, stickers=every_kind(place.pk))
    with CaptureQueriesContext(connection) as four:
        _, stories = selectors.account_stories(viewer=fan, username="olive")
    assert len(stories) == 4
    assert len(four) == len(one)
