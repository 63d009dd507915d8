"""API: likes and likers, saves and collections, reposts."""

from __future__ import annotations

import pytest

from glimpse.graph import services as graph
from tests.conftest import ApiClient
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db


def test_like_twice_unlike_and_likers(make_user, client_for, publish) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    post = publish(ana)
    as_bea, as_cal = client_for(bea), client_for(cal)
    assert as_bea.post(f"posts/{post.pk}/like").json() == {"liked": True, "like_count": 1}
    assert as_bea.post(f"posts/{post.pk}/like").json() == {"liked": True, "like_count": 1}
    as_cal.post(f"posts/{post.pk}/like")
    graph.follow_create(follower=cal, followee=bea)
    likers = as_cal.get(f"posts/{post.pk}/likes").json()
    assert [u["username"] for u in likers["items"]] == ["cal", "bea"]
    assert likers["items"][1]["viewer"]["following"] is True
    assert likers["items"][0]["viewer"]["is_self"] is True
    assert likers["next_max_id"] is None
    page = ApiClient().get(f"posts/{post.pk}/likes?limit=1").json()
    assert len(page["items"]) == 1
    assert isinstance(page["next_max_id"], str)
    assert as_bea.delete(f"posts/{post.pk}/like").json() == {"liked": False, "like_count": 1}
    assert ApiClient().post(f"posts/{post.pk}/like").status_code == 401


def test_hidden_like_count_is_null_for_others(make_user, client_for, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana, hide_like_count=True)
    assert client_for(bea).post(f"posts/{post.pk}/like").json() == {
        "liked": True,
        "like_count": None,
    }
    assert client_for(ana).get(f"posts/{post.pk}").json()["like_count"] == 1


def test_saves_and_collections(make_user, client_for, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    one, two = publish(ana), publish(ana)
    as_bea = client_for(bea)
    response = as_bea.post("collections", {"name": "Trips"})
    assert response.status_code == 201
    trips = response.json()
    assert (trips["name"], trips["post_count"], trips["cover"]) == ("Trips", 0, None)
    assert as_bea.post("collections", {"name": "trips"}).status_code == 409
    assert as_bea.post("collections", {"name": ""}).status_code == 422
    saved = as_bea.post(f"posts/{one.pk}/save?collection_id={trips['id']}").json()
    assert saved == {"saved": True, "collection_ids": [trips["id"]]}
    assert as_bea.post(f"posts/{two.pk}/save").json() == {"saved": True, "collection_ids": []}
    assert as_bea.get(f"posts/{one.pk}").json()["viewer"]["saved"] is True
    listed = as_bea.get("collections").json()["items"]
    assert [(c["name"], c["post_count"]) for c in listed] == [("Trips", 1)]
    assert listed[0]["cover"]["id"] == str(one.items.get().media_id)
    page = as_bea.get(f"collections/{trips['id']}").json()
    assert page["collection"]["id"] == trips["id"]
    assert [p["id"] for p in page["items"]] == [str(one.pk)]
    everything = as_bea.get("collections/saved").json()
    assert [p["id"] for p in everything["items"]] == [str(two.pk), str(one.pk)]
    renamed = as_bea.patch(f"collections/{trips['id']}", {"name": "Holidays"}).json()
    assert renamed["name"] == "Holidays"
    as_ana = client_for(ana)
    before = snapshot()
    assert as_ana.get(f"collections/{trips['id']}").status_code == 404
    assert as_ana.patch(f"collections/{trips['id']}", {"name": "x"}).status_code == 404
    assert as_ana.delete(f"collections/{trips['id']}").status_code == 404
    assert as_ana.post(f"posts/{one.pk}/save?collection_id={trips['id']}").status_code == 404
    assert snapshot() == before
    out = as_bea.delete(f"posts/{one.pk}/save?collection_id={trips['id']}").json()
    assert out == {"saved": True, "collection_ids": []}
    assert as_bea.delete(f"posts/{one.pk}/save").json() == {"saved": False, "collection_ids": []}
    assert as_bea.delete(f"collections/{trips['id']}").status_code == 204
    assert ApiClient().get("collections").status_code == 401


def test_repost(make_user, client_for, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    as_bea = client_for(bea)
    assert as_bea.post(f"posts/{post.pk}/repost").json() == {"reposted": True, "repost_count": 1}
    assert as_bea.get(f"posts/{post.pk}").json()["viewer"]["reposted"] is True
    response = client_for(ana).post(f"posts/{post.pk}/repost")
    assert response.status_code == 409
    assert as_bea.delete(f"posts/{post.pk}/repost").json() == {
        "reposted": False,
        "repost_count": 0,
    }
