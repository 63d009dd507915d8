"""The stories API: shapes, errors, and the visibility matrix on every endpoint."""

from __future__ import annotations

import pytest

from glimpse.accounts.services import profile_update
from glimpse.graph import services as graph
from glimpse.stories import services
from glimpse.stories.models import Story
from tests.stories.conftest import api_as, block, follow_approved, snapshot

pytestmark = pytest.mark.django_db

MISSING_STORY = {"error": {"code": "not_found", "message": "No story with this id.", "fields": {}}}


def test_post_and_read_a_story(make_user, media_for) -> None:
    author, fan = make_user("olive"), make_user("fern")
    (media,) = media_for(author)
    response = api_as(author).post(
        "stories", {"media_id": str(media.pk), "audience": "everyone", "caption": "Sunset"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["caption"] == "Sunset"
    assert body["author"]["username"] == "olive"
    assert body["media"]["kind"] == "photo"
    assert body["media"]["renditions"]
    assert body["viewer"] == {"seen": False, "reaction": None, "is_author": True}
    assert body["view_count"] == 0
    story = api_as(fan).get(f"stories/{body['id']}").json()
    assert story["view_count"] is None
    assert story["id"] == body["id"]
    assert isinstance(story["id"], str)


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"audience": "friends"}, 422),
        ({"caption": "x" * 2201}, 422),
        ({"media_id": "999999"}, 404),
        ({"media_id": "abc"}, 422),
    ],
)
def test_post_refuses_bad_input_with_nothing_written(make_user, media_for, payload, status):
    author = make_user("olive")
    (media,) = media_for(author)
    before = snapshot()
    response = api_as(author).post("stories", {"media_id": str(media.pk), **payload})
    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert snapshot() == before


def test_not_ready_media_is_a_409(make_user, media_for) -> None:
    author = make_user("olive")
    (media,) = media_for(author, ready=False)
    response = api_as(author).post("stories", {"media_id": str(media.pk)})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_ready"


def test_101st_story_is_a_409(make_user, post_story, media_for, settings) -> None:
    settings.GLIMPSE_STORY_LIVE_MAX = 2
    author = make_user("olive")
    post_story(author)
    post_story(author)
    (media,) = media_for(author)
    response = api_as(author).post("stories", {"media_id": str(media.pk)})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "too_many_stories"


def test_tray_seen_viewers_reactions_replies(make_user, post_story) -> None:
    author, fan = make_user("olive"), make_user("fern")
    follow_approved(fan, author)
    story = post_story(author)
    client = api_as(fan)
    tray = client.get("stories/tray").json()["items"]
    assert [(e["account"]["username"], e["has_unseen"]) for e in tray] == [("olive", True)]
    listed = client.get("accounts/olive/stories").json()
    assert listed["first_unseen"] == 0
    assert [s["id"] for s in listed["items"]] == [str(story.pk)]
    assert client.post(f"stories/{story.pk}/seen").json() == {"seen": True, "new": True}
    assert client.post(f"stories/{story.pk}/seen").json() == {"seen": True, "new": False}
    assert client.get("stories/tray").json()["items"][0]["has_unseen"] is False
    reaction = client.post(f"stories/{story.pk}/reactions", {"emoji": "🔥"})
    assert reaction.status_code == 200
    assert reaction.json()["emoji"] == "🔥"
    assert client.post(f"stories/{story.pk}/reactions", {"emoji": "pizza"}).status_code == 422
    reply = client.post(f"stories/{story.pk}/replies", {"text": "Wow"})
    assert reply.status_code == 201
    assert reply.json()["text"] == "Wow"
    assert client.post(f"stories/{story.pk}/replies", {"text": "x" * 1001}).status_code == 422
    mine = client.get(f"stories/{story.pk}").json()["viewer"]
    assert mine == {"seen": True, "reaction": "🔥", "is_author": False}
    owner = api_as(author)
    viewers = owner.get(f"stories/{story.pk}/viewers").json()
    assert viewers["count"] == 1
    assert viewers["items"][0]["account"]["username"] == "fern"
    assert [r["text"] for r in owner.get(f"stories/{story.pk}/replies").json()["items"]] == ["Wow"]
    assert owner.get(f"stories/{story.pk}/reactions").json()["items"][0]["emoji"] == "🔥"
    assert owner.get(f"stories/{story.pk}").json()["view_count"] == 1
    # Author-only lists refuse a viewer who sees the story, and change nothing.
    before = snapshot()
    for path in ("viewers", "replies", "reactions"):
        assert client.get(f"stories/{story.pk}/{path}").status_code == 403
    assert snapshot() == before


def test_delete_story(make_user, post_story) -> None:
    author, other = make_user("olive"), make_user("oscar")
    story = post_story(author)
    before = snapshot()
    response = api_as(other).delete(f"stories/{story.pk}")
    assert response.status_code == 404
    assert response.json() == MISSING_STORY
    assert snapshot() == before
    assert api_as(author).delete(f"stories/{story.pk}").status_code == 204
    assert not Story.objects.filter(pk=story.pk).exists()


def test_anonymous_writes_need_authentication(make_user, post_story) -> None:
    story = post_story(make_user("olive"))
    before = snapshot()
    assert api_as(None).post(f"stories/{story.pk}/seen").status_code == 401
    assert api_as(None).get("stories/tray").status_code == 401
    assert api_as(None).post("close-friends/olive").status_code == 401
    assert snapshot() == before


# --- The visibility matrix ------------------------------------------------------------------


def _scene(make_user, post_story, kind: str):
    owner = make_user("olive")
    viewer = make_user("victor")
    if kind == "non_follower_private":
        profile_update(user=owner, is_private=True)
    elif kind == "requester_private":
        profile_update(user=owner, is_private=True)
        graph.follow_create(follower=viewer, followee=owner)
    elif kind == "blocked":
        follow_approved(viewer, owner)
        block(owner, viewer)
    elif kind == "blocker":
        follow_approved(viewer, owner)
        block(viewer, owner)
    elif kind == "close_friends_follower":
        follow_approved(viewer, owner)
    owner.refresh_from_db()
    audience = "close_friends" if kind == "close_friends_follower" else "everyone"
    story = post_story(owner, audience=audience)
    highlight = services.highlight_create(owner=owner, title="Best", story_ids=[story.pk])
    return owner, viewer, story, highlight


HIDDEN = [
    "non_follower_private",
    "requester_private",
    "blocked",
    "blocker",
    "close_friends_follower",
]


@pytest.mark.parametrize("kind", HIDDEN)
def test_hidden_story_is_404_on_every_endpoint_and_nothing_changes(
    make_user, post_story, kind
) -> None:
    _owner, viewer, story, highlight = _scene(make_user, post_story, kind)
    client = api_as(viewer)
    missing = 9_999_999_999
    before = snapshot()
    calls = [
        ("get", f"stories/{story.pk}", None),
        ("post", f"stories/{story.pk}/seen", {}),
        ("get", f"stories/{story.pk}/viewers", None),
        ("post", f"stories/{story.pk}/reactions", {"emoji": "🔥"}),
        ("post", f"stories/{story.pk}/replies", {"text": "hi"}),
        ("get", f"stories/{story.pk}/replies", None),
        ("delete", f"stories/{story.pk}", None),
        ("get", f"highlights/{highlight.pk}", None),
        ("patch", f"highlights/{highlight.pk}", {"title": "Mine"}),
        ("delete", f"highlights/{highlight.pk}", None),
        ("delete", f"highlights/{highlight.pk}/stories/{story.pk}", None),
    ]
    for method, path, body in calls:
        args = (path,) if body is None else (path, body)
        response = getattr(client, method)(*args)
        assert response.status_code == 404, (method, path, response.json())
        twin = path.replace(str(story.pk), str(missing)).replace(str(highlight.pk), str(missing))
        args = (twin,) if body is None else (twin, body)
        assert response.json() == getattr(client, method)(*args).json(), path
    if kind != "close_friends_follower":
        for path in ("accounts/olive/stories", "accounts/olive/highlights"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response.json() == client.get(path.replace("olive", "nobody")).json()
    else:
        assert client.get("accounts/olive/stories").json()["items"] == []
        assert client.get("accounts/olive/highlights").json()["items"] == []
    assert client.get("stories/tray").json()["items"] == []
    assert snapshot() == before


def test_stranger_sees_a_public_account_but_cannot_touch_author_lists(make_user, post_story):
    owner, stranger = make_user("olive"), make_user("sam")
    story = post_story(owner)
    client = api_as(stranger)
    assert client.get(f"stories/{story.pk}").status_code == 200
    # Not followed: a stranger's tray has no public account either.
    assert client.get("stories/tray").json()["items"] == []
    before = snapshot()
    assert client.get(f"stories/{story.pk}/viewers").status_code == 403
    assert client.delete(f"stories/{story.pk}").status_code == 404
    assert (
        client.post(
            "accounts/olive/highlights", {"title": "x", "story_ids": [str(story.pk)]}
        ).status_code
        == 403
    )
    assert snapshot() == before


# --- Close Friends --------------------------------------------------------------------------


def test_close_friends_endpoints(make_user) -> None:
    owner, friend, blocked = make_user("olive"), make_user("fern"), make_user("bart")
    block(blocked, owner)
    client = api_as(owner)
    assert client.post("close-friends/fern").status_code == 204
    assert client.post("close-friends/fern").status_code == 204
    listed = client.get("close-friends").json()
    assert [a["username"] for a in listed["items"]] == ["fern"]
    before = snapshot()
    assert client.post("close-friends/bart").json() == client.post("close-friends/nobody").json()
    assert client.post("close-friends/bart").status_code == 404
    assert client.post("close-friends/olive").status_code == 422
    assert snapshot() == before
    assert client.delete("close-friends/fern").status_code == 204
    assert client.get("close-friends").json()["items"] == []
    del friend


def test_openapi_documents_every_story_error(anon) -> None:
    paths = anon.get("openapi.json").json()["paths"]
    operation = paths["/api/glimpse/v1/stories/{story_id}/viewers"]["get"]
    assert {"401", "403", "404", "422"} <= set(operation["responses"])
    assert "/api/glimpse/v1/close-friends/{username}" in paths
