"""Explore's grid: posts and Reels mixed one Reel to four posts, the Reels by the policy,
the mosaic page, its end and its empty state, and queries that do not grow with the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.feeds.explore_grid import explore_page
from glimpse.feeds.tasks import explore_refresh
from glimpse.graph import services as graph
from glimpse.posts import services as post_services
from glimpse.posts.models import Post
from glimpse.posts.presenters import PostView
from tests.feeds.conftest import follow
from tests.feeds.test_explore import like, raw_post
from tests.posts.conftest import publish, snapshot

__all__ = ["publish"]  # a fixture

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
REEL = Post.Kind.REEL


def kinds(posts: list[PostView]) -> str:
    return "".join("r" if post.kind == REEL else "p" for post in posts)


def web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tiles(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-tile="(\d+)"', html)]


def test_a_page_has_a_reel_after_every_four_posts(make_user) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    posts = [raw_post(author) for _ in range(30)]
    reels = [raw_post(author, kind=REEL) for _ in range(10)]
    page = explore_page(viewer=viewer, limit=25)
    assert kinds(page.items) == "ppppr" * 5
    assert page.has_more
    rest = explore_page(viewer=viewer, session=page.session, limit=25)
    assert kinds(rest.items) == "ppppr" * 2 + "pp" + "rrr"  # the posts run out: Reels fill in
    shown = [p.id for p in page.items + rest.items]
    assert sorted(shown) == sorted(p.pk for p in posts + reels)
    assert len(shown) == len(set(shown))
    assert not rest.has_more


def test_either_kind_fills_in_when_the_other_runs_short(make_user) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    raw_post(author)
    raw_post(author)
    for _ in range(12):
        raw_post(author, kind=REEL)
    page = explore_page(viewer=viewer, limit=10)
    assert kinds(page.items) == "pp" + "r" * 8
    assert page.has_more
    assert kinds(explore_page(viewer=viewer, session=page.session, limit=10).items) == "rrrr"


def test_a_small_page_waits_for_its_first_reel_at_five(make_user) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    for _ in range(6):
        raw_post(author)
        raw_post(author, kind=REEL)
    assert kinds(explore_page(viewer=viewer, limit=4).items) == "pppp"
    assert kinds(explore_page(viewer=viewer, limit=5).items) == "ppppr"


def test_reels_follow_the_policy(make_user, act) -> None:
    viewer = make_user("viewer")
    names = ("followed", "private", "blocked", "blocker", "muted", "liked", "archived", "stranger")
    people = {name: make_user(name) for name in names}
    people["private"].is_private = True
    people["private"].save()
    act(lambda: follow(viewer, people["followed"]))
    graph.block_create(blocker=viewer, blocked=people["blocked"])
    graph.block_create(blocker=people["blocker"], blocked=viewer)
    graph.mute_create(muter=viewer, muted=people["muted"])
    reels = {name: raw_post(user, kind=REEL) for name, user in people.items()}
    own = raw_post(viewer, kind=REEL)
    like(viewer, reels["liked"])
    act(lambda: post_services.post_archive(actor=people["archived"], post_id=reels["archived"].pk))
    before = snapshot()
    page = explore_page(viewer=viewer, limit=25)
    assert [p.id for p in page.items] == [reels["stranger"].pk]
    html = web(viewer).get(reverse("feeds:explore")).content.decode()
    assert tiles(html) == [reels["stranger"].pk]
    assert str(own.pk) not in html
    assert snapshot() == before


def test_the_page_is_a_mosaic_with_tall_reels_and_loads_more_as_it_scrolls(make_user) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    for _ in range(24):
        raw_post(author)
    reels = {raw_post(author, kind=REEL).pk for _ in range(6)}
    client = web(viewer)
    html = client.get(reverse("feeds:explore")).content.decode()
    assert len(tiles(html)) == 25
    tall = re.findall(r'class="ptile xtile xtile--tall" href="[^"]+" data-tile="(\d+)"', html)
    assert len(tall) == 5
    assert {int(pk) for pk in tall} <= reels
    assert html.count('title="Reel"') == 5
    more = re.search(r'hx-get="\?session=([\w-]+)" hx-trigger="click, intersect once"', html)
    assert more is not None
    assert "You're all caught up" not in html  # the grid goes on
    answer = client.get(f"/explore/?session={more.group(1)}", headers=HTMX)
    body = answer.content.decode()
    assert '<div hx-swap-oob="beforeend:#grid-main">' in body
    assert "<html" not in body
    assert len(tiles(body)) == 5
    assert "Load more" not in body


def test_a_short_grid_ends_with_a_note_in_its_empty_cells(make_user) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    raw_post(author)
    html = web(viewer).get(reverse("feeds:explore")).content.decode()
    assert len(tiles(html)) == 1
    assert 'class="xgrid__end xgrid__end--from2 xgrid__end--rows1"' in html
    assert "You're all caught up" in html
    assert "Load more" not in html
    for _ in range(2):
        raw_post(author)
    explore_refresh()  # the periodic job puts new posts among Explore's candidates
    again = web(viewer).get(reverse("feeds:explore")).content.decode()
    assert len(tiles(again)) == 3
    assert "xgrid__end" not in again  # a full row needs no note


def test_an_empty_explore_says_so(make_user) -> None:
    viewer, friend = make_user("viewer"), make_user("friend")
    follow(viewer, friend)
    raw_post(friend)  # followed: not for Explore
    html = web(viewer).get(reverse("feeds:explore")).content.decode()
    assert tiles(html) == []
    assert "Nothing new to explore" in html
    assert 'id="grid-main"' not in html


def test_the_trending_card_links_tags_and_places(make_user, publish) -> None:
    viewer = make_user("viewer")
    publish(make_user("author"), caption="#sunny", place=post_services.PlaceSpec(name="Pier"))
    html = web(viewer).get(reverse("feeds:explore")).content.decode()
    card = html.split('class="trend card"', 1)[1].split("</section>", 1)[0]
    assert 'href="/explore/tags/sunny/"' in card
    assert ">Pier</a>" in card


def _explore_queries(client: Client) -> int:
    client.get(reverse("feeds:explore"))  # warms the cards
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("feeds:explore"))
    assert response.status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_5_or_25_tiles(
    make_user, publish, publish_reel, django_assert_max_num_queries: Any
) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    for _ in range(4):
        publish(author, 2, caption="#many")
    publish_reel(author, caption="#many")
    client = web(viewer)
    small = _explore_queries(client)
    for _ in range(16):
        publish(author, caption="#many")
    for _ in range(4):
        publish_reel(author)
    explore_refresh()  # the periodic job puts the new posts among Explore's candidates
    client.get(reverse("feeds:explore"))  # warms the new posts' cards
    with django_assert_max_num_queries(small):
        assert len(tiles(client.get(reverse("feeds:explore")).content.decode())) == 25
