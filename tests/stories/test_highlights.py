"""Highlights: create, rename, reorder, add and remove stories, cover, delete, permissions."""

from __future__ import annotations

import pytest

from glimpse.accounts.services import profile_update
from glimpse.graph import services as graph
from glimpse.stories.models import Highlight, Story
from tests.stories.conftest import api_as, block, follow_approved, snapshot

pytestmark = pytest.mark.django_db


def ids(body) -> list[str]:
    return [s["id"] for s in body["stories"]]


def test_highlight_crud(make_user, post_story) -> None:
    owner = make_user("olive")
    a, b, c = (post_story(owner) for _ in range(3))
    # Expired stories can go in a highlight too.
    Story.objects.filter(pk=a.pk).update(expires_at=a.created_at)
    client = api_as(owner)
    made = client.post(
        "accounts/olive/highlights", {"title": "Trip", "story_ids": [str(a.pk), str(b.pk)]}
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    hid = body["id"]
    assert ids(body) == [str(a.pk), str(b.pk)]
    assert body["cover"]["id"] == str(a.pk)
    renamed = client.patch(f"highlights/{hid}", {"title": "Summer", "cover_story_id": str(b.pk)})
    assert renamed.json()["title"] == "Summer"
    assert renamed.json()["cover"]["id"] == str(b.pk)
    added = client.post(f"highlights/{hid}/stories/{c.pk}").json()
    assert ids(added) == [str(a.pk), str(b.pk), str(c.pk)]
    reordered = client.patch(f"highlights/{hid}", {"story_ids": [str(c.pk), str(a.pk), str(b.pk)]})
    assert ids(reordered.json()) == [str(c.pk), str(a.pk), str(b.pk)]
    assert client.delete(f"highlights/{hid}/stories/{b.pk}").status_code == 204
    got = client.get(f"highlights/{hid}").json()
    assert ids(got) == [str(c.pk), str(a.pk)]
    assert got["cover"]["id"] == str(c.pk)
    listed = api_as(None).get("accounts/olive/highlights").json()["items"]
    assert [(h["title"], h["story_count"]) for h in listed] == [("Summer", 2)]
    assert client.delete(f"highlights/{hid}").status_code == 204
    assert not Highlight.objects.exists()
    assert Story.objects.count() == 3  # the stories stay in the archive


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"title": "", "story_ids": ["1"]}, 422),
        ({"title": "x" * 31, "story_ids": ["1"]}, 422),
        ({"title": "ok", "story_ids": []}, 422),
        ({"title": "ok", "story_ids": ["999999"]}, 404),
    ],
)
def test_create_refuses_bad_input(make_user, post_story, payload, status) -> None:
    owner = make_user("olive")
    story = post_story(owner)
    payload = {
        **payload,
        "story_ids": [str(story.pk) if i == "1" else i for i in payload["story_ids"]],
    }
    before = snapshot()
    assert api_as(owner).post("accounts/olive/highlights", payload).status_code == status
    assert snapshot() == before


def test_others_stories_and_highlights_are_refused(make_user, post_story) -> None:
    owner, other = make_user("olive"), make_user("oscar")
    mine, theirs = post_story(owner), post_story(other)
    client = api_as(owner)
    hid = client.post(
        "accounts/olive/highlights", {"title": "A", "story_ids": [str(mine.pk)]}
    ).json()["id"]
    theirs_hid = (
        api_as(other)
        .post("accounts/oscar/highlights", {"title": "B", "story_ids": [str(theirs.pk)]})
        .json()["id"]
    )
    before = snapshot()
    assert (
        client.post(
            "accounts/olive/highlights", {"title": "C", "story_ids": [str(theirs.pk)]}
        ).status_code
        == 404
    )
    assert client.post(f"highlights/{hid}/stories/{theirs.pk}").status_code == 404
    assert client.patch(f"highlights/{theirs_hid}", {"title": "Mine"}).status_code == 404
    assert client.delete(f"highlights/{theirs_hid}").status_code == 404
    assert client.patch(f"highlights/{hid}", {"cover_story_id": str(theirs.pk)}).status_code == 422
    assert snapshot() == before


def test_highlight_limit(make_user, post_story, settings) -> None:
    settings.GLIMPSE_HIGHLIGHT_MAX = 1
    owner = make_user("olive")
    story = post_story(owner)
    client = api_as(owner)
    body = {"title": "A", "story_ids": [str(story.pk)]}
    assert client.post("accounts/olive/highlights", body).status_code == 201
    before = snapshot()
    assert client.post("accounts/olive/highlights", body).status_code == 409
    assert snapshot() == before


def test_close_friends_stories_in_a_highlight_only_for_close_friends(make_user, post_story):
    owner, friend, follower = make_user("olive"), make_user("fern"), make_user("felix")
    profile_update(user=owner, is_private=True)
    follow_approved(friend, owner)
    follow_approved(follower, owner)
    graph.close_friend_add(owner=owner, friend=friend)
    open_story = post_story(owner)
    secret = post_story(owner, audience="close_friends")
    hid = (
        api_as(owner)
        .post(
            "accounts/olive/highlights",
            {"title": "A", "story_ids": [str(secret.pk), str(open_story.pk)]},
        )
        .json()["id"]
    )
    assert ids(api_as(friend).get(f"highlights/{hid}").json()) == [
        str(secret.pk),
        str(open_story.pk),
    ]
    seen_by_follower = api_as(follower).get(f"highlights/{hid}").json()
    assert ids(seen_by_follower) == [str(open_story.pk)]
    assert seen_by_follower["cover"]["id"] == str(open_story.pk)
    for viewer in (None, make_user("sam")):
        assert api_as(viewer).get(f"highlights/{hid}").status_code == 404
    blocked = make_user("bart")
    follow_approved(blocked, owner)
    block(owner, blocked)
    assert api_as(blocked).get(f"highlights/{hid}").status_code == 404
