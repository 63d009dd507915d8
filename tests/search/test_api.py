"""GET /api/glimpse/v1/search: each type, errors, from:me, visibility, the OpenAPI declaration."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from glimpse.graph import services as graph
from glimpse.posts.services import PlaceSpec

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("glimpse.search.migrations.0001_postgresql_indexes")
INDEX_NAMES = [name for name, _, _ in MIGRATION.INDEXES]


def test_each_type(make_user, publish, anon) -> None:
    ana = make_user("lisbon_lover", display_name="Ana")
    post = publish(
        ana, caption="Tram 28 #lisbon", place=PlaceSpec(name="Lisbon", lat=38.7, lng=-9.1)
    )
    answer = anon.get("search?q=lisbon&type=accounts")
    assert answer.status_code == 200
    body = answer.json()
    assert body["next_max_id"] is None
    assert [a["username"] for a in body["items"]] == ["lisbon_lover"]
    assert isinstance(body["items"][0]["id"], str)
    tags = anon.get("search?q=%23lis&type=hashtags").json()["items"]
    assert tags == [{"name": "lisbon", "post_count": 1}]
    places = anon.get("search?q=lisb&type=places").json()["items"]
    assert [p["name"] for p in places] == ["Lisbon"]
    near = anon.get("search?type=places&lat=38.7&lng=-9.1").json()["items"]
    assert near[0]["name"] == "Lisbon"
    assert near[0]["distance_km"] == 0
    posts = anon.get("search?q=tram&type=posts").json()["items"]
    assert [p["id"] for p in posts] == [str(post.pk)]
    assert posts[0]["author"]["username"] == "lisbon_lover"
    top = anon.get("search?q=lisbon").json()
    assert set(top) == {"accounts", "hashtags", "places", "posts", "notice"}
    assert top["notice"] is None
    assert [a["username"] for a in top["accounts"]] == ["lisbon_lover"]
    assert [p["id"] for p in top["posts"]] == [str(post.pk)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("search?q=&type=accounts", "q"),
        ("search?q=%20%20&type=posts", "q"),
        ("search?q=" + "x" * 101, "q"),
        ("search?type=hashtags", "q"),
        ("search?q=a&type=people", "type"),
        ("search?q=a&type=places&lat=91&lng=0", "lat"),
        ("search?q=a&type=accounts&limit=0", "limit"),
    ],
)
def test_bad_input_is_422(anon, query: str, field: str) -> None:
    answer = anon.get(query)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_from_me_needs_a_viewer(api, user, make_user, publish, anon) -> None:
    mine = publish(user, caption="my garden")
    publish(make_user("bea"), caption="her garden")
    answer = anon.get("search?q=garden%20from:me&type=posts")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"
    items = api.get("search?q=garden%20from:me&type=posts").json()["items"]
    assert [p["id"] for p in items] == [str(mine.pk)]
    assert len(api.get("search?q=garden&type=posts").json()["items"]) == 2


def test_blocked_and_private_never_appear(api, user, make_user, publish) -> None:
    bea = make_user("garden_bea")
    cid = make_user("garden_cid", is_private=True)
    publish(bea, caption="garden")
    publish(cid, caption="garden")
    graph.block_create(blocker=bea, blocked=user)
    accounts = api.get("search?q=garden&type=accounts").json()["items"]
    assert [a["username"] for a in accounts] == ["garden_cid"]  # private accounts are listed
    assert api.get("search?q=garden&type=posts").json()["items"] == []


def test_session_auth_works(client, user, publish) -> None:
    publish(user, caption="session garden")
    client.force_login(user)
    answer = client.get("/api/glimpse/v1/search", {"q": "from:me", "type": "posts"})
    assert answer.status_code == 200
    assert len(answer.json()["items"]) == 1


def test_openapi_declares_search(anon) -> None:
    spec = anon.get("openapi.json").json()
    operation = spec["paths"]["/api/glimpse/v1/search"]["get"]
    assert {"200", "401", "422"} <= set(operation["responses"])
    params = {p["name"] for p in operation["parameters"]}
    assert params == {"q", "type", "lat", "lng", "limit", "resolve"}


def test_indexes_only_on_postgresql() -> None:
    with connection.cursor() as cursor:
        found = {
            name
            for table in ("accounts_user", "posts_hashtag", "posts_post", "posts_postitem")
            for name in connection.introspection.get_constraints(cursor, table)
        }
    if connection.vendor == "postgresql":
        assert set(INDEX_NAMES) <= found
    else:
        assert not set(INDEX_NAMES) & found
