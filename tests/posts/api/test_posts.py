"""API: publishing, reading, editing, deleting, archiving and pinning posts; grids."""

from __future__ import annotations

import pytest

from glimpse.graph import services as graph
from glimpse.posts import services
from tests.conftest import ApiClient
from tests.posts.conftest import follow, snapshot

pytestmark = pytest.mark.django_db

MISSING = {"error": {"code": "not_found", "message": "No post with this id.", "fields": {}}}


@pytest.fixture
def ana(make_user):
    return make_user("ana", display_name="Ana Lima")


@pytest.fixture
def as_ana(client_for, ana) -> ApiClient:
    return client_for(ana)


def test_publish_answers_the_post(ana, as_ana, make_user, media_for) -> None:
    make_user("bea")
    photo, clip = media_for(ana)[0], media_for(ana, video=True)[0]
    response = as_ana.post(
        "posts",
        {
            "media_ids": [str(clip.pk), str(photo.pk)],
            "caption": "Sunday #Walk with @bea",
            "items": [
                {
                    "alt_text": "A short clip",
                    "people_tags": [{"username": "bea", "x": 0.5, "y": 0.5}],
                },
                {"alt_text": None},
            ],
            "place": {"name": "The Pier", "lat": 50.82, "lng": -0.137},
            "hide_like_count": True,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert isinstance(body["id"], str)
    assert body["author"]["username"] == "ana"
    assert body["author"]["display_name"] == "Ana Lima"
    assert "avatar" in body["author"]
    assert [m["id"] for m in body["media"]] == [str(clip.pk), str(photo.pk)]
    video, picture = body["media"]
    assert (video["kind"], picture["kind"]) == ("video", "photo")
    assert video["duration"]
    assert video["alt_text"] == "A short clip"
    assert picture["alt_text"] == "upload"  # the media's own
    assert video["people_tags"][0]["account"]["username"] == "bea"
    assert (video["people_tags"][0]["x"], video["people_tags"][0]["y"]) == (0.5, 0.5)
    assert picture["blurhash"]
    assert picture["width"] > 0
    assert picture["height"] > 0
    assert all(r["url"].startswith("/media/") for r in picture["renditions"])
    assert body["hashtags"] == ["walk"]
    assert body["mentions"] == ["bea"]
    assert body["place"]["name"] == "The Pier"
    assert isinstance(body["place"]["id"], str)
    assert body["like_count"] == 0  # the author sees a hidden count
    assert body["viewer"] == {"liked": False, "saved": False, "reposted": False, "is_author": True}
    assert (body["comment_count"], body["comments_enabled"], body["hide_like_count"]) == (
        0,
        True,
        True,
    )
    assert (body["is_archived"], body["is_pinned"], body["edited_at"]) == (False, False, None)
    assert body["permalink"].endswith(f"/p/{body['id']}/")
    assert body["created_at"].endswith("Z")
    anonymous = ApiClient().get(f"posts/{body['id']}").json()
    assert anonymous["like_count"] is None
    assert anonymous["viewer"]["is_author"] is False


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"caption": "x" * 2201}, 422, "caption"),
        ({"caption": " ".join(f"#h{n}" for n in range(31))}, 422, "caption"),
        ({"items": [{"alt_text": "x" * 1501}]}, 422, "items.0.alt_text"),
        (
            {"items": [{"people_tags": [{"username": "ana", "x": 2, "y": 0}]}]},
            422,
            "items.0.people_tags.0.x",
        ),
        ({"place": {"name": "A"}, "place_id": "1"}, 422, "place"),
        ({"media_ids": ["9223372036854775808"]}, 422, "media_ids.0"),
        ({"media_ids": ["not a number"]}, 422, "media_ids.0"),
        ({"media_ids": ["12345"]}, 404, None),
        ({"place_id": "12345"}, 404, None),
    ],
)
def test_bad_posts_are_refused_with_clear_errors(
    ana, as_ana, media_for, payload, status, field
) -> None:
    media = media_for(ana)
    before = snapshot()
    response = as_ana.post("posts", {"media_ids": [str(media[0].pk)], **payload})
    assert response.status_code == status, response.json()
    error = response.json()["error"]
    assert error["message"]
    if field:
        assert field in error["fields"]
    assert snapshot() == before


def test_21_items_and_processing_media(ana, as_ana, media_for) -> None:
    many = media_for(ana, 21)
    before = snapshot()
    response = as_ana.post("posts", {"media_ids": [str(m.pk) for m in many]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["media_ids"] == [
        "A post has at most 20 items (this has 21)."
    ]
    waiting = media_for(ana, ready=False)[0]
    before = snapshot()
    response = as_ana.post("posts", {"media_ids": [str(waiting.pk)]})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_ready"
    assert snapshot() == before


def test_publishing_needs_an_account(anon) -> None:
    response = anon.post("posts", {"media_ids": ["1"]})
    assert response.status_code == 401


@pytest.mark.parametrize("case", ["missing", "private", "blocked", "blocking", "archived"])
def test_a_hidden_post_answers_exactly_like_a_missing_one(
    make_user, client_for, publish, case
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    post_id = post.pk + 1 if case == "missing" else post.pk
    if case == "private":
        ana.is_private = True
        ana.save()
    elif case == "blocked":
        graph.block_create(blocker=ana, blocked=bea)
    elif case == "blocking":
        graph.block_create(blocker=bea, blocked=ana)
    elif case == "archived":
        services.post_archive(actor=ana, post_id=post.pk)
    as_bea = client_for(bea)
    for path in (f"posts/{post_id}", f"posts/{post_id}/comments", f"posts/{post_id}/likes"):
        response = as_bea.get(path)
        assert (response.status_code, response.json()) == (404, MISSING)
    before = snapshot()
    for method, path in (
        ("post", "like"),
        ("post", "save"),
        ("post", "repost"),
        ("post", "comments"),
        ("patch", ""),
        ("delete", ""),
    ):
        body = {"text": "hi"} if path == "comments" else {}
        url = f"posts/{post_id}/{path}".rstrip("/")
        response = getattr(as_bea, method)(url, body) if method != "delete" else as_bea.delete(url)
        assert (response.status_code, response.json()) == (404, MISSING), (method, path)
    assert snapshot() == before


def test_edit_and_history(ana, as_ana, client_for, make_user, publish) -> None:
    bea = make_user("bea")
    post = publish(ana, 2, caption="first")
    first, second = (str(i) for i in post.items.values_list("media_id", flat=True))
    response = as_ana.patch(
        f"posts/{post.pk}",
        {
            "caption": "second #edit",
            "media_ids": [second, first],
            "items": [
                {
                    "media_id": first,
                    "alt_text": "New alt",
                    "people_tags": [{"username": "bea", "x": 0, "y": 0}],
                }
            ],
            "place": {"name": "Somewhere"},
            "comments_enabled": False,
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["caption"] == "second #edit"
    assert body["hashtags"] == ["edit"]
    assert [m["id"] for m in body["media"]] == [second, first]
    assert body["media"][1]["alt_text"] == "New alt"
    assert body["place"]["name"] == "Somewhere"
    assert body["comments_enabled"] is False
    assert body["edited_at"]
    response = as_ana.patch(f"posts/{post.pk}", {"place": None})
    assert response.json()["place"] is None
    history = as_ana.get(f"posts/{post.pk}/edits").json()
    assert len(history["items"]) == 2
    latest, earliest = history["items"]
    assert latest["changes"] == {
        "place": {"before": latest["changes"]["place"]["before"], "after": None}
    }
    assert set(earliest["changes"]) == {"caption", "items", "place"}
    assert earliest["changes"]["caption"] == {"before": "first", "after": "second #edit"}
    as_bea = client_for(bea)
    assert as_bea.get(f"posts/{post.pk}/edits").status_code == 403
    assert as_bea.patch(f"posts/{post.pk}", {"caption": "mine"}).status_code == 403
    response = as_ana.patch(f"posts/{post.pk}", {"media_ids": []})
    assert response.status_code == 422


def test_archive_pin_and_the_grid(ana, as_ana, client_for, make_user, publish) -> None:
    posts = [publish(ana) for _ in range(4)]
    assert as_ana.post(f"posts/{posts[0].pk}/pin").json()["is_pinned"] is True
    assert as_ana.post(f"posts/{posts[1].pk}/archive").json()["is_archived"] is True
    grid = ApiClient().get("accounts/ana/posts").json()
    assert [p["id"] for p in grid["items"]] == [str(posts[i].pk) for i in (0, 3, 2)]
    assert grid["next_max_id"] is None
    archive = as_ana.get("accounts/me/archive").json()
    assert [p["id"] for p in archive["items"]] == [str(posts[1].pk)]
    for extra in posts[2:]:
        as_ana.post(f"posts/{extra.pk}/pin")
    response = as_ana.post(f"posts/{posts[1].pk}/unarchive")
    assert response.status_code == 404  # no such path
    as_ana.delete(f"posts/{posts[1].pk}/archive")
    response = as_ana.post(f"posts/{posts[1].pk}/pin")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "pin_limit"
    assert as_ana.delete(f"posts/{posts[0].pk}/pin").json()["is_pinned"] is False
    as_bea = client_for(make_user("bea"))
    assert as_bea.post(f"posts/{posts[0].pk}/pin").status_code == 403
    assert as_bea.post(f"posts/{posts[0].pk}/archive").status_code == 403


def test_private_grid_is_empty_until_followed_and_missing_across_a_block(
    make_user, client_for, publish
) -> None:
    ana, bea = make_user("ana", is_private=True), make_user("bea")
    publish(ana)
    as_bea = client_for(bea)
    assert as_bea.get("accounts/ana/posts").json()["items"] == []
    follow(bea, ana)
    assert len(as_bea.get("accounts/ana/posts").json()["items"]) == 1
    graph.block_create(blocker=ana, blocked=bea)
    assert as_bea.get("accounts/ana/posts").status_code == 404
    assert ApiClient().get("accounts/nobody/posts").status_code == 404


def test_delete(ana, as_ana, publish) -> None:
    post = publish(ana)
    assert as_ana.delete(f"posts/{post.pk}").status_code == 204
    assert (as_ana.get(f"posts/{post.pk}").json()) == MISSING
    assert as_ana.delete(f"posts/{post.pk}").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["accounts/a%00b/posts", "tags/%00/posts", "tags/%23/posts", "tags/%E2%98%80/posts"],
)
def test_odd_names_in_paths_are_simply_missing(db, path: str) -> None:
    response = ApiClient().get(path)
    assert response.status_code == 404


def test_odd_bytes_in_a_payload_never_reach_the_database(ana, as_ana, media_for) -> None:
    media = media_for(ana)
    before = snapshot()
    tag = {"username": "ana\u0000", "x": 0, "y": 0}
    response = as_ana.post(
        "posts", {"media_ids": [str(media[0].pk)], "items": [{"people_tags": [tag]}]}
    )
    assert response.status_code == 422
    assert snapshot() == before
    response = as_ana.post("posts", {"media_ids": [str(media[0].pk)], "caption": "a\u0000b"})
    assert response.status_code == 422
    assert "caption" in response.json()["error"]["fields"]
    assert snapshot() == before
