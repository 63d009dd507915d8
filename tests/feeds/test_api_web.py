"""The home feed through the API and the home page, on both stores."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from glimpse.feeds.schemas import FeedOut
from glimpse.posts import services as post_services
from glimpse.posts.models import Post
from tests.feeds.conftest import follow

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_api_feed_pages_with_reposts_and_post_json(
    store, make_user, post_by, act, client_for, anon
) -> None:
    viewer, ana, rita = make_user("viewer"), make_user("ana"), make_user("rita")
    act(lambda: follow(viewer, ana))
    act(lambda: follow(viewer, rita))
    first, second = post_by(ana, caption="one"), post_by(ana, caption="two")
    elsewhere = post_by(make_user("bob"), caption="not followed")
    act(lambda: post_services.repost_create(user=rita, post_id=elsewhere.pk))
    # Reposting a post the feed holds anyway adds nothing: the post shows once.
    act(lambda: post_services.repost_create(user=rita, post_id=first.pk))
    api = client_for(viewer)
    page = api.get("feed?limit=2")
    assert page.status_code == 200
    body = page.json()
    FeedOut.model_validate(body)
    assert [i["id"] for i in body["items"]] == [str(elsewhere.pk), str(second.pk)]
    assert body["items"][0]["reposted_by"]["username"] == "rita"
    assert body["items"][1]["reposted_by"] is None
    single = api.get(f"posts/{second.pk}").json()
    item = dict(body["items"][1])
    assert item.pop("feed_id") == str(second.pk)
    item.pop("reposted_by")
    assert item == single  # the same post JSON as GET posts/{id}
    rest = api.get(f"feed?limit=2&max_id={body['next_max_id']}").json()
    assert [i["id"] for i in rest["items"]] == [str(first.pk)]
    assert rest["next_max_id"] is None
    newest = body["items"][0]["feed_id"]
    assert api.get(f"feed/new-count?since_id={newest}").json() == {"count": 0}
    post_by(ana)
    assert api.get(f"feed/new-count?since_id={newest}").json() == {"count": 1}


def test_api_feed_errors(make_user, client_for, anon) -> None:
    api = client_for(make_user("viewer"))
    assert anon.get("feed").status_code == 401
    assert anon.get("feed/new-count?since_id=1").status_code == 401
    for path in ("feed?limit=0", "feed?max_id=abc", "feed/new-count", "feed/new-count?since_id=0"):
        response = api.get(path)
        assert response.status_code == 422, path
        assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_openapi_declares_the_feed(anon) -> None:
    paths = anon.get("openapi.json").json()["paths"]
    for path in ("/api/glimpse/v1/feed", "/api/glimpse/v1/feed/new-count"):
        assert set(paths[path]["get"]["responses"]) == {"200", "400", "401", "422"}


def test_home_page_shows_the_feed_and_loads_more(store, make_user, post_by, act) -> None:
    viewer, ana = make_user("viewer"), make_user("ana")
    act(lambda: follow(viewer, ana))
    posts = [post_by(ana, caption=f"caption number {i}") for i in range(22)]
    client = Client()
    client.force_login(viewer)
    page = client.get(reverse("home"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="card feed-card"') == 20
    assert "caption number 21" in html
    assert "caption number 1<" not in html
    assert "New on Glimpse" not in html
    assert "js/feed.js" in html
    assert "data-feed-new" in html
    assert f'data-since-id="{posts[-1].pk}"' in html
    more = client.get(reverse("home") + f"?max_id={posts[2].pk}", headers=HTMX)
    more_html = more.content.decode()
    assert more_html.count('class="card feed-card"') == 2
    assert "Welcome" not in more_html
    assert "Load more" not in more_html
    assert f'href="{reverse("posts:detail", args=[posts[0].pk])}"' in more_html


def test_empty_home_page_keeps_the_welcome(store, make_user, act) -> None:
    viewer = make_user("viewer")
    make_user("newbie")
    client = Client()
    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    assert "Welcome" in html
    assert "New on Glimpse" in html
    assert "newbie" in html
    assert "feed-card" not in html
    assert Post.objects.count() == 0
