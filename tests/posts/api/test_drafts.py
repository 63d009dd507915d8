"""API: drafts and scheduled posts, saved, listed, edited, published and deleted by their
author alone; times with their offset; limits and refusals in the one error shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.posts.models import Draft, DraftItem, Post
from tests.conftest import ApiClient
from tests.posts.conftest import follow

pytestmark = pytest.mark.django_db

MISSING = {"error": {"code": "not_found", "message": "No draft with this id.", "fields": {}}}


@pytest.fixture
def ana(make_user):
    return make_user("ana")


@pytest.fixture
def as_ana(client_for, ana) -> ApiClient:
    return client_for(ana)


def ahead(**delta: float) -> str:
    return (timezone.now() + timedelta(**delta)).isoformat()


def state() -> dict[str, object]:
    return {
        "drafts": sorted(
            Draft.objects.values_list("pk", "caption", "publish_at", "time_zone", "failure")
        ),
        "items": sorted(DraftItem.objects.values_list("draft_id", "media_id", "alt_text")),
        "media": sorted(MediaItem.objects.values_list("pk", "held_at", "attached_at")),
        "posts": Post.objects.count(),
    }


def test_save_read_list_edit_and_delete_a_draft(ana, as_ana, media_for) -> None:
    photos = media_for(ana, 2)
    response = as_ana.post(
        "drafts",
        {
            "media_ids": [str(photos[1].pk), str(photos[0].pk)],
            "caption": "Work in progress",
            "items": [{"alt_text": "Second"}, {"alt_text": None}],
            "place": {"name": "The Pier"},
            "comments_enabled": False,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    draft_id = body["id"]
    assert body["caption"] == "Work in progress"
    assert [(i["media"]["id"], i["alt_text"]) for i in body["items"]] == [
        (str(photos[1].pk), "Second"),
        (str(photos[0].pk), "upload"),
    ]
    assert body["items"][0]["media"]["status"] == "ready"
    assert body["items"][0]["media"]["renditions"]
    assert body["place"]["name"] == "The Pier"
    assert (body["comments_enabled"], body["publish_at"], body["failure"]) == (False, None, "")
    assert as_ana.get(f"drafts/{draft_id}").json() == body
    listed = as_ana.get("drafts").json()
    assert [d["id"] for d in listed["items"]] == [draft_id]
    assert listed["next_max_id"] is None
    assert as_ana.get("posts/scheduled").json()["items"] == []

    patched = as_ana.patch(
        f"drafts/{draft_id}", {"caption": "Nearly there", "media_ids": [str(photos[0].pk)]}
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["caption"] == "Nearly there"
    assert [i["media"]["id"] for i in patched.json()["items"]] == [str(photos[0].pk)]
    assert patched.json()["place"]["name"] == "The Pier"  # left out: kept

    assert as_ana.delete(f"drafts/{draft_id}").status_code == 204
    assert as_ana.get(f"drafts/{draft_id}").status_code == 404
    assert list(MediaItem.objects.values_list("pk", flat=True)) == [photos[1].pk]


def test_publish_a_draft_answers_the_post(ana, as_ana, media_for) -> None:
    [photo] = media_for(ana)
    draft_id = as_ana.post("drafts", {"media_ids": [str(photo.pk)], "caption": "Now"}).json()["id"]
    response = as_ana.post(f"drafts/{draft_id}/publish")
    assert response.status_code == 201, response.json()
    post = response.json()
    assert post["caption"] == "Now"
    assert post["media"][0]["id"] == str(photo.pk)
    assert as_ana.get(f"posts/{post['id']}").status_code == 200
    assert as_ana.get(f"drafts/{draft_id}").json() == MISSING


def test_a_refused_publish_keeps_the_draft(ana, as_ana) -> None:
    draft_id = as_ana.post("drafts", {"caption": "No photo yet"}).json()["id"]
    before = state()
    response = as_ana.post(f"drafts/{draft_id}/publish")
    assert response.status_code == 422
    assert "media_ids" in response.json()["error"]["fields"]
    assert state() == before


def test_schedule_through_posts_list_reschedule_and_cancel(
    ana, as_ana, media_for, make_user, client_for
) -> None:
    [photo] = media_for(ana)
    when = (timezone.now() + timedelta(days=3)).astimezone(UTC).replace(microsecond=0)
    paris = when.astimezone(timezone.get_fixed_timezone(120)).isoformat()
    response = as_ana.post(
        "posts",
        {
            "media_ids": [str(photo.pk)],
            "caption": "Later",
            "publish_at": paris,
            "time_zone": "Europe/Paris",
        },
    )
    assert response.status_code == 202, response.json()
    scheduled = response.json()
    assert datetime.fromisoformat(scheduled["publish_at"]) == when
    assert scheduled["publish_at"].endswith("Z")  # times are answered in UTC
    assert scheduled["time_zone"] == "Europe/Paris"
    assert not Post.objects.exists()
    assert [s["id"] for s in as_ana.get("posts/scheduled").json()["items"]] == [scheduled["id"]]
    assert as_ana.get("drafts").json()["items"] == []
    # Invisible to everyone else: it is not a post.
    bea = make_user("bea")
    follow(bea, ana)
    assert client_for(bea).get("accounts/ana/posts").json()["items"] == []
    assert client_for(bea).get("posts/scheduled").json()["items"] == []

    later = ahead(days=10)
    moved = as_ana.patch(f"drafts/{scheduled['id']}", {"publish_at": later})
    assert moved.status_code == 200, moved.json()
    assert datetime.fromisoformat(moved.json()["publish_at"]) == datetime.fromisoformat(later)
    unscheduled = as_ana.patch(f"drafts/{scheduled['id']}", {"publish_at": None})
    assert unscheduled.json()["publish_at"] is None
    assert [d["id"] for d in as_ana.get("drafts").json()["items"]] == [scheduled["id"]]
    assert as_ana.delete(f"drafts/{scheduled['id']}").status_code == 204
    assert not MediaItem.objects.exists()


def test_a_time_without_an_offset_is_a_400(ana, as_ana, media_for) -> None:
    [photo] = media_for(ana)
    naive = (timezone.now() + timedelta(days=1)).replace(tzinfo=None).isoformat()
    before = state()
    for path in ("posts", "drafts"):
        response = as_ana.post(path, {"media_ids": [str(photo.pk)], "publish_at": naive})
        assert response.status_code == 400, response.json()
        error = response.json()["error"]
        assert error["code"] == "time_zone_missing"
        assert "offset" in error["message"]
        assert list(error["fields"]) == ["publish_at"]
    assert state() == before


def test_times_outside_the_window_are_refused_clearly(ana, as_ana, media_for) -> None:
    [photo] = media_for(ana)
    before = state()
    for when, words in ((ahead(minutes=5), "at least 10 minutes"), (ahead(days=76), "75 days")):
        response = as_ana.post("posts", {"media_ids": [str(photo.pk)], "publish_at": when})
        assert response.status_code == 422
        assert words in response.json()["error"]["fields"]["publish_at"][0]
    response = as_ana.post("drafts", {"time_zone": "Nowhere/Atlantis"})
    assert response.status_code == 422
    assert "time_zone" in response.json()["error"]["fields"]
    assert state() == before


def test_the_limit_answers_409(ana, as_ana, settings) -> None:
    settings.GLIMPSE_DRAFTS_MAX = 1
    assert as_ana.post("drafts", {"caption": "one"}).status_code == 201
    before = state()
    response = as_ana.post("drafts", {"caption": "two"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "draft_limit"
    assert state() == before


def test_others_get_404_for_every_operation_and_nothing_changes(
    ana, as_ana, media_for, make_user, client_for
) -> None:
    [photo] = media_for(ana)
    draft_id = as_ana.post(
        "posts", {"media_ids": [str(photo.pk)], "publish_at": ahead(days=1)}
    ).json()["id"]
    stranger, blocked, follower = make_user("sam"), make_user("bob"), make_user("fay")
    graph.block_create(blocker=ana, blocked=blocked)
    follow(follower, ana)
    before = state()
    for other in (stranger, blocked, follower):
        api = client_for(other)
        assert api.get(f"drafts/{draft_id}").json() == MISSING
        assert api.patch(f"drafts/{draft_id}", {"caption": "mine"}).json() == MISSING
        assert api.post(f"drafts/{draft_id}/publish").json() == MISSING
        response = api.delete(f"drafts/{draft_id}")
        assert (response.status_code, response.json()) == (404, MISSING)
        assert api.get("drafts").json()["items"] == []
        assert api.get("posts/scheduled").json()["items"] == []
        # Nor can they take the held media into a draft or a post of theirs.
        assert api.post("drafts", {"media_ids": [str(photo.pk)]}).status_code == 404
    assert state() == before


def test_anonymous_requests_are_refused(anon, ana, as_ana) -> None:
    draft_id = as_ana.post("drafts", {"caption": "mine"}).json()["id"]
    assert anon.get("drafts").status_code == 401
    assert anon.get("posts/scheduled").status_code == 401
    assert anon.get(f"drafts/{draft_id}").status_code == 401
    assert anon.delete(f"drafts/{draft_id}").status_code == 401
    assert Draft.objects.filter(pk=draft_id).exists()


def test_a_post_id_path_still_reads_posts(ana, as_ana, publish) -> None:
    post = publish(ana)
    assert as_ana.get(f"posts/{post.pk}").json()["id"] == str(post.pk)


def test_held_media_are_listed_with_their_draft_not_among_uploads(ana, as_ana, media_for) -> None:
    held, loose = media_for(ana, 2)
    as_ana.post("drafts", {"media_ids": [str(held.pk)]})
    assert [item["id"] for item in as_ana.get("media").json()["items"]] == [str(loose.pk)]
    refused = as_ana.delete(f"media/{held.pk}")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "in_draft"
