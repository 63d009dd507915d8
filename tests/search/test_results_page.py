"""The /search/ page's results: rows with pictures and hints, tabs, live answers to htmx, what a
viewer may not see left out, and queries that do not grow with the results."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.posts.services import PlaceSpec
from tests.posts.conftest import follow, snapshot

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def web(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def rows(html: str) -> dict[str, str]:
    """Return each result row's text (tags stripped, spaces joined) by its link."""
    found = re.findall(r'<a class="srow" href="([^"]+)"[^>]*>(.*?)</a>', html, flags=re.S)
    return {href: " ".join(re.sub(r"<[^>]+>", " ", body).split()) for href, body in found}


def test_account_rows_have_the_avatar_name_relation_and_followers(make_user) -> None:
    viewer = make_user("viewer")
    friend = make_user("sea_friend", display_name="Sea Friend")
    fan = make_user("sea_fan")
    asked = make_user("sea_closed", is_private=True)
    follow(viewer, friend)
    follow(fan, viewer)
    follow(make_user("other"), friend)
    assert graph.follow_create(follower=viewer, followee=asked) == "requested"
    html = web(viewer).get("/search/", {"q": "sea", "type": "accounts"}).content.decode()
    found = rows(html)
    assert found["/sea_friend/"] == "S sea_friend Sea Friend · Following · 2 followers"
    assert found["/sea_fan/"] == "S sea_fan Follows you · 0 followers"
    assert found["/sea_closed/"] == "S sea_closed Private account Requested · 0 followers"
    # Followed accounts first among the names that start alike.
    assert next(iter(found)) == "/sea_friend/"
    assert 'class="avatar avatar--md avatar--initial"' in html
    assert 'aria-current="page">Accounts</a>' in html


def test_hashtag_place_and_post_results(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana, caption="Boats #harbour", place=PlaceSpec(name="Harbour Pier"))
    html = web().get("/search/", {"q": "harbour"}).content.decode()
    found = rows(html)
    assert found["/explore/tags/harbour/"] == "# #harbour 1 post"
    assert found[f"/explore/places/{post.place_id}/"] == "Harbour Pier 1 post"
    assert f'data-tile="{post.pk}"' in html
    tabs = re.findall(r'class="search__tab" href="\?q=harbour&amp;type=(\w+)"', html)
    assert tabs == ["top", "accounts", "hashtags", "places", "posts"]


def test_htmx_gets_the_results_alone(make_user) -> None:
    make_user("harbour_ana")
    answer = web().get("/search/", {"q": "harb", "type": "top"}, headers=HTMX)
    body = answer.content.decode()
    assert answer.status_code == 200
    assert "<html" not in body
    assert "/harbour_ana/" in rows(body)
    assert "1 result" in body
    page = web().get("/search/", {"q": "harb"}).content.decode()
    assert 'hx-get="/search/"' in page
    assert 'hx-trigger="input changed delay:250ms, search"' in page
    assert 'id="search-results"' in page


def test_an_empty_query_shows_a_hint_and_bad_ones_an_error() -> None:
    html = web().get("/search/").content.decode()
    assert "Search for people, tags, places and posts." in html
    assert "search__tab" not in html
    answer = web().get("/search/", {"q": "x" * 101}, headers=HTMX).content.decode()
    assert 'role="alert">At most 100 characters.' in answer


@pytest.mark.parametrize("kind", ["anonymous", "stranger", "requester", "blocked"])
def test_what_the_viewer_may_not_see_is_never_found(make_user, publish, kind) -> None:
    pia = make_user("pia_sea", is_private=True)
    publish(pia, caption="Quiet #seasecret", place=PlaceSpec(name="Sea cave"))
    publish(pia, caption="Mixed #seashared")
    shared = publish(make_user("ana"), caption="Open #seashared")
    blocker = make_user("sea_blocker")
    publish(blocker, caption="Mine #seablock")
    viewer = {
        "anonymous": None,
        "stranger": make_user("sam"),
        "requester": make_user("rob"),
        "blocked": make_user("bob"),
    }[kind]
    if kind == "requester":
        assert viewer is not None
        assert graph.follow_create(follower=viewer, followee=pia) == "requested"
    if kind == "blocked":
        graph.block_create(blocker=pia, blocked=viewer)
    if viewer is not None:
        graph.block_create(blocker=blocker, blocked=viewer)
    before = snapshot()
    client = web(viewer)
    for tab in ("top", "accounts", "hashtags", "places", "posts"):
        html = client.get("/search/", {"q": "sea", "type": tab}).content.decode()
        found = rows(html)
        assert "/explore/tags/seasecret/" not in found
        assert not any(href.startswith("/explore/places/") for href in found)
        assert "seasecret" not in html
        assert "Quiet" not in html
        if viewer is not None:
            assert "/sea_blocker/" not in found
            assert "/explore/tags/seablock/" not in found
        if tab == "hashtags":  # the shared tag counts only the public post
            assert found["/explore/tags/seashared/"] == "# #seashared 1 post"
        if tab == "accounts":
            listed = "/pia_sea/" in found
            assert listed is (kind != "blocked")  # a private account is listed, not its posts
    # A word of both a public and a private caption (full text on PostgreSQL, a substring
    # on SQLite): only the public post.
    posts = client.get("/search/", {"q": "seashared", "type": "posts"}).content.decode()
    assert re.findall(r'data-tile="(\d+)"', posts) == [str(shared.pk)]
    assert snapshot() == before


def _search_queries(client: Client, q: str) -> int:
    client.get("/search/", {"q": q})  # warms the cards
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_few_or_many_results(
    make_user, publish, django_assert_max_num_queries: Any
) -> None:
    viewer = make_user("viewer")
    client = web(viewer)

    def add(n: int) -> None:
        author = make_user(f"tide{n}", display_name=f"Tide {n}")
        follow(viewer, author)
        publish(author, caption=f"tide #tide{n}", place=PlaceSpec(name=f"Tide pool {n}"))

    add(0)
    few = _search_queries(client, "tide")
    for n in range(1, 5):
        add(n)
    client.get("/search/", {"q": "tide"})
    with django_assert_max_num_queries(few):
        html = client.get("/search/", {"q": "tide"}).content.decode()
    assert len(rows(html)) == 15  # five accounts, tags and places
    assert len(re.findall(r"data-tile=", html)) == 5
