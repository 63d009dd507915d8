"""API: hashtag pages, place search and place pages."""

from __future__ import annotations

import pytest

from glimpse.posts.services import PlaceSpec
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_tag_page(make_user, client_for, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea", is_private=True)
    first = publish(ana, caption="#Sea")
    publish(bea, caption="#sea from a private account")
    second = publish(ana, caption="#sea")
    client_for(bea).post(f"posts/{first.pk}/like")
    body = ApiClient().get("tags/SEA/posts").json()
    assert body["tag"] == {"name": "sea", "post_count": 2}  # not the private account's post
    assert [p["id"] for p in body["top"]] == [str(first.pk), str(second.pk)]
    assert [p["id"] for p in body["items"]] == [str(second.pk), str(first.pk)]
    paged = ApiClient().get(f"tags/sea/posts?limit=1&max_id={second.pk}").json()
    assert paged["top"] == []
    assert [p["id"] for p in paged["items"]] == [str(first.pk)]
    nothing = ApiClient().get("tags/nothing/posts")
    assert nothing.status_code == 200
    assert nothing.json() == {
        "tag": {"name": "nothing", "post_count": 0},
        "top": [],
        "items": [],
        "next_max_id": None,
    }
    assert ApiClient().get("tags/no-thing/posts").status_code == 404  # not a hashtag


def test_places(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana, place=PlaceSpec(name="Harbour", address="Quay 1", lat=59.91, lng=10.75))
    found = ApiClient().get("places?q=harb").json()
    assert found["next_max_id"] is None
    (place,) = found["items"]
    assert (place["name"], place["address"], place["post_count"]) == ("Harbour", "Quay 1", 1)
    near = ApiClient().get("places?lat=59.9&lng=10.7").json()["items"]
    assert near[0]["id"] == place["id"]
    assert 0 < near[0]["distance_km"] < 5
    assert ApiClient().get(f"places/{place['id']}").json()["name"] == "Harbour"
    page = ApiClient().get(f"places/{place['id']}/posts").json()
    assert page["place"]["id"] == place["id"]
    assert [p["id"] for p in page["items"]] == [p["id"] for p in page["top"]] == [str(post.pk)]
    response = ApiClient().get("places")
    assert response.status_code == 422
    assert ApiClient().get("places?lat=100&lng=0").status_code == 422
    assert ApiClient().get("places/1").status_code == 404
    assert ApiClient().get("places/1/posts").status_code == 404
