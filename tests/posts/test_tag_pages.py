"""Hashtag and place pages as Explore's mosaic: tall Reels, the empty page every well-formed
tag has, more tiles as the grid scrolls, and queries that do not grow with the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.posts.services import PlaceSpec
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def web(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def tiles(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-tile="(\d+)"', html)]


def tall(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'xtile--tall" href="[^"]+" data-tile="(\d+)"', html)]


def test_a_tag_page_shows_reels_tall_in_the_mosaic(make_user, publish, publish_reel) -> None:
    ana = make_user("ana")
    posts = [publish(ana, caption="#wave") for _ in range(4)]
    reel = publish_reel(ana, caption="#wave")
    html = web().get(reverse("posts:tag", args=["wave"])).content.decode()
    assert "<strong>5</strong> posts" in html
    assert sorted(tiles(html)) == sorted([p.pk for p in posts] + [reel.pk])
    assert tall(html) == [reel.pk]
    assert 'title="Reel"' in html
    assert "css/explore.css" in html
    # Five tiles make two full rows: the grid ends square, no note is needed.
    assert "xgrid__end" not in html


def test_a_short_tag_page_ends_with_a_note(make_user, publish) -> None:
    post = publish(make_user("ana"), caption="#single", place=PlaceSpec(name="Lone pier"))
    for url in (reverse("posts:tag", args=["single"]), f"/explore/places/{post.place_id}/"):
        html = web().get(url).content.decode()
        assert tiles(html) == [post.pk]
        assert "xgrid__end--from2" in html
        assert "That's all for now" in html


def test_every_well_formed_tag_has_a_page_and_a_malformed_one_is_missing(make_user) -> None:
    before = snapshot()
    answer = web(make_user("viewer")).get("/explore/tags/nosuchtagever/")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "<title>#nosuchtagever" in html
    assert '<h1 class="explore__title">#nosuchtagever</h1>' in html
    assert "<strong>0</strong> posts" in html
    assert "No posts yet" in html
    assert "Most recent" not in html
    assert tiles(html) == []
    # Any case or a leading # leads to the tag's own name, used or not.
    upper = web().get("/explore/tags/NoSuchTagEver/")
    assert (upper.status_code, upper["Location"]) == (302, "/explore/tags/nosuchtagever/")
    for name in ("no-such-tag", "123", "a%20b", "x" * 101, "%23%23"):
        assert web().get(f"/explore/tags/{name}/").status_code == 404, name
    assert web().get("/explore/tags/" + "x" * 100 + "/").status_code == 200
    assert snapshot() == before  # reading a page creates no hashtag


def test_more_tiles_come_as_the_grid_scrolls(make_user, publish, settings) -> None:
    ana = make_user("ana")
    posts = [publish(ana, caption="#long") for _ in range(26)]
    client = web()
    html = client.get(reverse("posts:tag", args=["long"])).content.decode()
    recent = html.split("Most recent", 1)[1]
    assert tiles(recent) == [p.pk for p in reversed(posts)][:24]
    more = re.search(r'hx-get="\?max_id=(\d+)" hx-trigger="click, intersect once"', recent)
    assert more is not None
    answer = client.get(f"/explore/tags/long/?max_id={more.group(1)}", headers=HTMX)
    body = answer.content.decode()
    assert '<div hx-swap-oob="beforeend:#grid-main">' in body
    assert tiles(body) == [posts[1].pk, posts[0].pk]
    assert "Load more" not in body
    # Without JavaScript, the link is the next page itself.
    plain = client.get(f"/explore/tags/long/?max_id={more.group(1)}").content.decode()
    assert "More recent posts" in plain
    assert "Top posts" not in plain


def _page_queries(client: Client, path: str) -> int:
    client.get(path)  # warms the cards
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["tag", "place"])
def test_a_page_costs_the_same_queries_for_few_or_many_posts(
    make_user, publish, publish_reel, page: str, django_assert_max_num_queries: Any
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    spot = PlaceSpec(name="Busy pier")
    first = publish(ana, 2, caption="#busy", place=spot)
    publish_reel(ana, caption="#busy", place=spot)
    path = (
        reverse("posts:tag", args=["busy"])
        if page == "tag"
        else f"/explore/places/{first.place_id}/"
    )
    client = web(bea)
    few = _page_queries(client, path)
    for _ in range(14):
        publish(ana, caption="#busy", place=spot)
    for _ in range(4):
        publish_reel(ana, caption="#busy", place=spot)
    client.get(path)
    with django_assert_max_num_queries(few):
        html = client.get(path).content.decode()
    assert len(tall(html)) >= 5  # Reels in top posts and in the most recent
