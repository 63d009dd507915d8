"""The notifications API: list, unread count, read state, preferences; permissions; input."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.notifications.models import Notification
from glimpse.posts import services as posts
from glimpse.stories import services as stories
from tests.conftest import ApiClient
from tests.notifications.conftest import Run, entries, state

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


@pytest.fixture
def liked(ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run) -> Any:
    """A post of ana's liked by bo and cy, and commented by bo."""
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.like_create(user=cy, post_id=post.pk))
    run(lambda: posts.comment_create(author=bo, post_id=post.pk, text="So good " * 20))
    return post


def test_list(ana: User, liked: Any, client_for: Callable[[User], ApiClient]) -> None:
    answer = client_for(ana).get("notifications")
    assert answer.status_code == 200
    body = answer.json()
    comment, like = body["items"]
    assert body["next_max_id"] is None
    assert like["kind"] == "like"
    assert like["text"] == "cy and bo liked your post."
    assert [a["username"] for a in like["actors"]] == ["cy", "bo"]
    assert like["actor_count"] == 2
    assert like["post"]["id"] == str(liked.pk)
    assert like["post"]["thumbnail"].endswith(".webp") or like["post"]["thumbnail"]
    assert like["comment"] is None
    assert like["is_read"] is False
    assert set(like) >= {"id", "created_at", "updated_at"}
    assert comment["kind"] == "comment"
    assert comment["comment"]["text"].endswith("…")
    assert len(comment["comment"]["text"]) <= 81
    assert comment["text"].startswith("bo commented: So good")


def test_pages_by_max_id(
    ana: User,
    make_user: MakeUser,
    post_by: Callable[..., Any],
    run: Run,
    client_for: Callable[[User], ApiClient],
) -> None:
    post = post_by(ana)
    for i in range(5):
        author = make_user(f"p{i}")
        run(partial(posts.comment_create, author=author, post_id=post.pk, text="hi"))
    api = client_for(ana)
    first = api.get("notifications?limit=3").json()
    assert len(first["items"]) == 3
    second = api.get(f"notifications?limit=3&max_id={first['next_max_id']}").json()
    assert len(second["items"]) == 2
    assert second["next_max_id"] is None
    names = [item["actors"][0]["username"] for item in first["items"] + second["items"]]
    assert names == ["p4", "p3", "p2", "p1", "p0"]


def test_unread_count_read_one_and_read_all(
    ana: User, liked: Any, client_for: Callable[[User], ApiClient]
) -> None:
    api = client_for(ana)
    assert api.get("notifications/unread-count").json() == {"count": 2}
    first = entries(ana)[0]
    answer = api.post(f"notifications/{first.pk}/read")
    assert (answer.status_code, answer.json()) == (200, {"count": 1})
    assert api.post(f"notifications/{first.pk}/read").json() == {"count": 1}  # twice is fine
    assert api.post("notifications/read-all").json() == {"count": 0}
    assert api.get("notifications/unread-count").json() == {"count": 0}
    assert not Notification.objects.filter(recipient=ana, is_read=False).exists()


def test_only_the_recipient_may_read_or_mark(
    ana: User,
    bo: User,
    cy: User,
    make_user: MakeUser,
    liked: Any,
    client_for: Callable[[User], ApiClient],
    anon: ApiClient,
) -> None:
    target = entries(ana)[0]
    stranger = make_user("stranger")
    graph.block_create(blocker=ana, blocked=cy)  # cy: blocked by the recipient
    before = state()
    for someone in (stranger, bo, cy):
        api = client_for(someone)
        missing = api.post(f"notifications/{target.pk}/read")
        assert missing.status_code == 404
        assert missing.json() == api.post("notifications/1/read").json()
        assert all(
            item["id"] != str(target.pk) for item in api.get("notifications").json()["items"]
        )
        api.post("notifications/read-all")
    assert anon.get("notifications").status_code == 401
    assert anon.post(f"notifications/{target.pk}/read").status_code == 401
    assert anon.get("notifications/unread-count").status_code == 401
    assert state() == before


def test_bad_input(ana: User, liked: Any, client_for: Callable[[User], ApiClient]) -> None:
    api = client_for(ana)
    before = state()
    assert api.post("notifications/123/read").status_code == 404
    bad_id = api.post("notifications/abc/read")
    assert bad_id.status_code == 422
    assert bad_id.json()["error"]["code"] == "invalid"
    assert api.get("notifications?limit=0").status_code == 422
    assert api.get("notifications?max_id=nope").status_code == 422
    assert state() == before
    prefs = api.get("notifications/preferences").json()
    bad_level = api.patch("notifications/preferences", {"like": "sometimes"})
    assert bad_level.status_code == 422
    assert "like" in bad_level.json()["error"]["fields"]
    unknown = api.patch("notifications/preferences", {"pokes": "off"})
    assert unknown.status_code == 422
    assert "pokes" in unknown.json()["error"]["fields"]
    assert api.get("notifications/preferences").json() == prefs


def test_preferences(ana: User, client_for: Callable[[User], ApiClient]) -> None:
    api = client_for(ana)
    prefs = api.get("notifications/preferences").json()
    assert set(prefs.values()) == {"everyone"}
    assert len(prefs) == 12
    changed = api.patch("notifications/preferences", {"like": "off", "follow": "following"})
    assert changed.status_code == 200
    assert changed.json() == {**prefs, "like": "off", "follow": "following"}
    assert api.get("notifications/preferences").json() == changed.json()


def test_a_story_mention_in_the_list_the_preferences_and_the_schema(
    ana: User,
    bo: User,
    media_for: Callable[..., Any],
    run: Run,
    client_for: Callable[[User], ApiClient],
    anon: ApiClient,
) -> None:
    (media,) = media_for(ana)
    sticker = {"kind": "mention", "x": 0.5, "y": 0.5, "username": "bo"}
    story = run(lambda: stories.story_create(author=ana, media_id=media.pk, stickers=[sticker]))
    api = client_for(bo)
    [item] = api.get("notifications").json()["items"]
    assert (item["kind"], item["text"]) == ("story_mention", "ana mentioned you in their story.")
    assert item["story"] == {"id": str(story.pk)}
    assert [a["username"] for a in item["actors"]] == ["ana"]
    assert (item["post"], item["comment"]) == (None, None)
    assert api.get("notifications/preferences").json()["story_mention"] == "everyone"
    off = api.patch("notifications/preferences", {"story_mention": "off"})
    assert (off.status_code, off.json()["story_mention"]) == (200, "off")
    schemas = anon.get("openapi.json").json()["components"]["schemas"]
    assert "story_mention" in schemas["NotificationOut"]["properties"]["kind"]["description"]
    assert "story" in schemas["NotificationOut"]["required"]
    assert "story_mention" in schemas["PreferencesOut"]["properties"]
    assert "story_mention" in schemas["PreferencesIn"]["properties"]


def test_constant_queries_per_page(
    ana: User,
    make_user: MakeUser,
    post_by: Callable[..., Any],
    run: Run,
    client_for: Callable[[User], ApiClient],
) -> None:
    api = client_for(ana)

    def grow_to(count: int) -> int:
        while len(entries(ana)) < count:
            post = post_by(ana)
            for fan in (make_user(), make_user()):
                run(partial(posts.like_create, user=fan, post_id=post.pk))
        api.get("notifications/unread-count")  # the token's first use writes its last-used
        with CaptureQueriesContext(connection) as captured:
            answer = api.get("notifications?limit=50")
        assert len(answer.json()["items"]) == count
        return len(captured)

    assert grow_to(5) == grow_to(20)
