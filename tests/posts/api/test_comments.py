"""API: comments, replies, deletion, likes and the pinned comment."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db


def test_comment_reply_like_pin_delete(make_user, client_for, publish) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    post = publish(ana)
    as_ana, as_bea, as_cal = client_for(ana), client_for(bea), client_for(cal)
    response = as_bea.post(f"posts/{post.pk}/comments", {"text": "Lovely @ana"})
    assert response.status_code == 201
    top = response.json()
    assert top["author"]["username"] == "bea"
    assert (top["text"], top["mentions"], top["parent_id"]) == ("Lovely @ana", ["ana"], None)
    assert top["viewer"] == {"liked": False, "can_delete": True}
    reply = as_cal.post(
        f"posts/{post.pk}/comments", {"text": "Agreed", "parent_id": top["id"]}
    ).json()
    deeper = as_ana.post(
        f"posts/{post.pk}/comments", {"text": "Thanks", "parent_id": reply["id"]}
    ).json()
    assert reply["parent_id"] == deeper["parent_id"] == top["id"]
    listed = ApiClient().get(f"posts/{post.pk}/comments").json()
    assert [(c["text"], c["reply_count"]) for c in listed["items"]] == [("Lovely @ana", 2)]
    replies = ApiClient().get(f"posts/{post.pk}/comments?parent_id={top['id']}").json()
    assert [c["text"] for c in replies["items"]] == ["Thanks", "Agreed"]
    assert as_cal.post(f"comments/{top['id']}/like").json() == {"liked": True, "like_count": 1}
    assert as_cal.post(f"comments/{top['id']}/like").json() == {"liked": True, "like_count": 1}
    seen = as_cal.get(f"posts/{post.pk}/comments").json()["items"][0]
    assert seen["viewer"] == {"liked": True, "can_delete": False}
    assert as_cal.delete(f"comments/{top['id']}/like").json() == {"liked": False, "like_count": 0}
    pinned = as_ana.post(f"comments/{top['id']}/pin").json()
    assert pinned["is_pinned"] is True
    assert as_bea.post(f"comments/{top['id']}/pin").status_code == 403
    assert as_ana.post(f"comments/{reply['id']}/pin").status_code == 409
    assert as_ana.delete(f"comments/{top['id']}/pin").json()["is_pinned"] is False
    before = snapshot()
    assert as_cal.delete(f"comments/{top['id']}").status_code == 403
    assert snapshot() == before
    assert as_ana.delete(f"comments/{top['id']}").status_code == 204
    assert as_ana.get(f"posts/{post.pk}").json()["comment_count"] == 0
    assert as_ana.delete(f"comments/{top['id']}").status_code == 404


def test_refused_comments(make_user, client_for, publish) -> None:
    ana = make_user("ana")
    closed = publish(ana, comments_enabled=False)
    open_post = publish(ana)
    as_ana = client_for(ana)
    before = snapshot()
    response = as_ana.post(f"posts/{closed.pk}/comments", {"text": "hi"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "comments_disabled"
    response = as_ana.post(f"posts/{open_post.pk}/comments", {"text": "x" * 2201})
    assert response.status_code == 422
    assert "text" in response.json()["error"]["fields"]
    response = as_ana.post(f"posts/{open_post.pk}/comments", {"text": "hi", "parent_id": "1"})
    assert response.status_code == 404
    assert ApiClient().post(f"posts/{open_post.pk}/comments", {"text": "hi"}).status_code == 401
    assert snapshot() == before
