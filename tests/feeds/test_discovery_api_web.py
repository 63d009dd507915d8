"""Explore, trending and suggestions through the API and the web pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve, reverse

from glimpse.core.errors import InvalidInput
from glimpse.posts.models import Hashtag, Place, PostHashtag
from tests.feeds.conftest import follow
from tests.feeds.test_explore import like, raw_post

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_api_explore_pages_through_a_session(make_user, client_for) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    posts = {str(raw_post(author).pk) for _ in range(5)}
    api = client_for(viewer)
    first = api.get("explore?limit=2")
    assert first.status_code == 200
    body = first.json()
    assert body["has_more"] is True
    shown = [item["id"] for item in body["items"]]
    assert body["items"][0]["author"]["username"] == "author"
    session = body["session"]
    while body["has_more"]:
        body = api.get(f"explore?limit=2&session={session}").json()
        assert body["session"] == session
        shown += [item["id"] for item in body["items"]]
    assert sorted(shown) == sorted(posts)
    assert api.get(f"explore?session={session}").json()["items"] == []


def test_api_explore_errors(make_user, client_for, anon) -> None:
    api = client_for(make_user("viewer"))
    assert anon.get("explore").status_code == 401
    assert anon.get("accounts/suggested").status_code == 401
    for path in (
        "explore?limit=0",
        "explore?session=a%20b",
        "explore?session=short",
        "explore?limit=x",
    ):
        response = api.get(path)
        assert response.status_code == 422, path
        assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_api_trending(make_user, client_for, anon) -> None:
    author = make_user("author")
    place = Place.objects.create(name="Here", search_name="here", key="here")
    post = raw_post(author, hours_ago=1, place=place)
    PostHashtag.objects.create(post=post, hashtag=Hashtag.objects.create(name="sun", post_count=1))
    like(make_user("fan"), post)
    tags = anon.get("trending/tags").json()["items"]
    assert [(t["name"], t["post_count"]) for t in tags] == [("sun", 1)]
    assert tags[0]["score"] > 0
    places = client_for(make_user("viewer")).get("trending/places").json()["items"]
    assert [(p["id"], p["name"]) for p in places] == [(str(place.pk), "Here")]


def test_api_suggested_resolves_before_profiles(make_user, client_for) -> None:
    assert resolve("/api/glimpse/v1/accounts/suggested").url_name == "accounts_suggested"
    with pytest.raises(InvalidInput):  # reserved: no profile can be shadowed by the endpoint
        make_user("suggested")
    viewer, friend, star = make_user("viewer"), make_user("friend"), make_user("star")
    follow(viewer, friend)
    follow(friend, star)
    body = client_for(viewer).get("accounts/suggested").json()
    assert [(a["username"], a["mutual_count"]) for a in body["items"]] == [("star", 1)]


def test_openapi_declares_discovery(anon) -> None:
    paths = anon.get("openapi.json").json()["paths"]
    expected = {
        "/api/glimpse/v1/explore": {"200", "400", "401", "422"},
        "/api/glimpse/v1/trending/tags": {"200", "400", "401"},
        "/api/glimpse/v1/trending/places": {"200", "400", "401"},
        "/api/glimpse/v1/accounts/suggested": {"200", "400", "401"},
    }
    for path, statuses in expected.items():
        assert set(paths[path]["get"]["responses"]) == statuses, path


def test_explore_page_loads_more_in_the_same_session(make_user) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    posts = [raw_post(author) for _ in range(30)]
    place = Place.objects.create(name="Beach", search_name="beach", key="beach")
    tagged = raw_post(make_user("other"), hours_ago=1, place=place)
    PostHashtag.objects.create(post=tagged, hashtag=Hashtag.objects.create(name="sea"))
    client = Client()
    client.force_login(viewer)
    assert resolve("/explore/").view_name == "feeds:explore"
    assert resolve("/explore/tags/sea/").view_name == "posts:tag"
    assert resolve("/explore/places/1/").view_name == "posts:place"
    page = client.get(reverse("feeds:explore"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/explore/tags/sea/"' in html
    assert f'href="/explore/places/{place.pk}/"' in html
    assert html.count("data-tile=") == 25
    session = page.context["session"]
    assert f'hx-get="?session={session}"' in html
    more = client.get(f"/explore/?session={session}", headers=HTMX)
    assert more.status_code == 200
    assert more.content.decode().count("data-tile=") == len(posts) + 1 - 25
    assert "Load more" not in more.content.decode()
    shown = {cell.post.id for page in (page, more) for cell in page.context["mosaic"].cells}
    assert shown == {p.pk for p in posts} | {tagged.pk}
    assert 'href="/explore/"' in html  # the nav link


def test_explore_page_needs_login() -> None:
    response = Client().get("/explore/")
    assert response.status_code == 302


def test_home_suggests_accounts_with_follow_buttons(make_user) -> None:
    viewer, friend, star = make_user("viewer"), make_user("friend"), make_user("star")
    follow(viewer, friend)
    follow(friend, star)
    client = Client()
    client.force_login(viewer)
    home = client.get("/").content.decode()
    assert f'hx-get="{reverse("feeds:suggested")}"' in home  # the card loads in its own request
    assert "Suggested for you" not in home
    html = client.get(reverse("feeds:suggested"), headers={"HX-Request": "true"}).content.decode()
    assert "Suggested for you" in html
    assert 'data-suggested="star"' in html
    assert "Followed by 1 account you follow" in html
    assert reverse("graph:follow", args=["star"]) in html
    assert 'name="next" value="/"' in html  # following from the card comes back home
    assert 'data-suggested="friend"' not in html


def test_the_suggestions_card_is_empty_when_there_is_no_one_to_suggest(make_user) -> None:
    client = Client()
    client.force_login(make_user("loner"))
    answer = client.get(reverse("feeds:suggested"))
    assert answer.status_code == 200
    assert answer.content.decode().strip() == ""


def test_the_suggestions_card_asks_visitors_to_log_in() -> None:
    answer = Client().get(reverse("feeds:suggested"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("posts", "after"), [(0, None), (2, 2), (3, 3), (5, 3)])
def test_the_suggestions_have_their_place_after_the_third_post(
    make_user, posts: int, after: int | None
) -> None:
    viewer, friend = make_user("viewer"), make_user("friend")
    follow(viewer, friend)
    for _ in range(posts):
        raw_post(friend)
    client = Client()
    client.force_login(viewer)
    html = client.get("/").content.decode()
    assert html.count("data-suggested-slot") == 1
    before_slot = html.split("data-suggested-slot")[0]
    if after is None:  # an empty feed: after the welcome cards
        assert "New on Glimpse" in before_slot
    else:
        assert before_slot.count('class="card feed-card"') == after
