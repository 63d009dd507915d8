"""Download your data: the archive holds every original file and the right JSON."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.media.selectors import media_original_path
from glimpse.posts import services as posts
from glimpse.posts.services import PlaceSpec
from glimpse.privacy import archive, exports
from glimpse.privacy.models import DataExport
from glimpse.push.models import PushSubscription
from glimpse.stories import services as stories
from tests.privacy.conftest import api_as, body_of, open_zip, stored_files

pytestmark = pytest.mark.django_db


def original_bytes(item: MediaItem) -> bytes:
    """Return the stored original of a media item."""
    path = media_original_path(item)
    assert path
    with default_storage.open(path, "rb") as stored:
        return bytes(stored.read())


def request_and_build(client, run_commit_hooks) -> dict:
    """Ask for an archive through the API, run its job, and answer the export's state."""
    asked = run_commit_hooks(lambda: client.post("accounts/me/export"))
    assert asked.status_code == 202
    answer = client.get("accounts/me/export")
    assert answer.status_code == 200
    return answer.json()


def test_the_archive_holds_every_original_file_and_the_account_s_data(
    make_user, publish, media_for, post_story, run_commit_hooks
) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    carousel = publish(ana, count=2, caption="Beach day #sea #sun", place=PlaceSpec(name="Spot"))
    (clip,) = media_for(ana, video=True)
    video_post = posts.post_create(author=ana, media_ids=[clip.pk], caption="moving")
    MediaItem.objects.filter(pk=carousel.items.first().media_id).update(
        edit={"filter": "clarendon", "strength": 0.6}
    )
    theirs = publish(bea, caption="bea's")
    posts.like_create(user=ana, post_id=theirs.pk)
    posts.save_create(user=ana, post_id=theirs.pk)
    posts.comment_create(author=ana, post_id=theirs.pk, text="lovely")
    graph.follow_create(follower=bea, followee=ana)
    graph.follow_create(follower=ana, followee=cal)
    story = post_story(ana, caption="now")
    stories.highlight_create(owner=ana, title="Trips", story_ids=[story.pk])
    for owner, device in ((ana, "Firefox on Android"), (bea, "Chrome on Windows")):
        PushSubscription.objects.create(
            user=owner,
            endpoint=f"https://push.example/send/{owner.username}",
            p256dh="key",
            auth="secret",
            server_key="server",
            device=device,
        )

    state = request_and_build(api_as(ana), run_commit_hooks)
    assert (state["status"], state["progress"]) == ("ready", 100)
    assert state["download_url"]
    assert state["expires_at"]
    client = api_as(ana)
    response = client.client.get(state["download_url"], HTTP_AUTHORIZATION=f"Bearer {client.token}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = body_of(response)
    assert state["size_bytes"] == len(data)
    archive_file = open_zip(data)

    posts_json = json.loads(archive_file.read("posts.json"))
    assert [p["id"] for p in posts_json] == [str(carousel.pk), str(video_post.pk)]
    for post in (carousel, video_post):
        entry = next(p for p in posts_json if p["id"] == str(post.pk))
        items = list(post.items.select_related("media"))
        assert len(entry["media"]) == len(items)
        for item, media in zip(items, entry["media"], strict=True):
            # Byte for byte the stored original, photo or video.
            assert archive_file.read(media["file"]) == original_bytes(item.media)
            assert media["kind"] == item.media.kind
            assert media["alt_text"] == "upload"
    first = posts_json[0]
    assert first["caption"] == "Beach day #sea #sun"
    assert first["hashtags"] == ["sea", "sun"]
    assert first["place"]["name"] == "Spot"
    assert first["media"][0]["filter"] == {"filter": "clarendon", "strength": 0.6}
    assert posts_json[1]["media"][0]["kind"] == "video"

    stories_json = json.loads(archive_file.read("stories.json"))
    assert [s["id"] for s in stories_json] == [str(story.pk)]
    assert archive_file.read(stories_json[0]["media"]["file"]) == original_bytes(story.media)
    assert json.loads(archive_file.read("highlights.json"))[0]["story_ids"] == [str(story.pk)]

    assert json.loads(archive_file.read("profile.json"))["username"] == "ana"
    [device] = json.loads(archive_file.read("push_devices.json"))  # not bea's
    assert (device["device"], device["push_service"]) == ("Firefox on Android", "push.example")
    assert "secret" not in archive_file.read("push_devices.json").decode()
    assert [c["text"] for c in json.loads(archive_file.read("comments.json"))] == ["lovely"]
    assert [x["post_id"] for x in json.loads(archive_file.read("likes.json"))] == [str(theirs.pk)]
    assert [x["post_id"] for x in json.loads(archive_file.read("saves.json"))] == [str(theirs.pk)]
    assert [x["username"] for x in json.loads(archive_file.read("followers.json"))] == ["bea"]
    assert [x["username"] for x in json.loads(archive_file.read("following.json"))] == ["cal"]
    # Nothing of anyone else's: bea's photo is not in ana's archive.
    media_names = [n for n in archive_file.namelist() if n.startswith("media/")]
    assert len(media_names) == 2 + 1 + 1


def test_one_archive_in_the_making_per_account(make_user, django_capture_on_commit_callbacks):
    ana = make_user("ana")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = exports.data_export_request(user=ana)
        again = exports.data_export_request(user=ana)
    assert first.pk == again.pk
    assert DataExport.objects.filter(user=ana).count() == 1
    assert len(queued) == 1  # one job, not two
    answer = api_as(ana).post("accounts/me/export")
    assert answer.status_code == 202
    assert answer.json()["id"] == str(first.pk)
    assert answer.json()["status"] == "queued"
    assert answer.json()["download_url"] is None


def test_the_job_is_idempotent_and_reports_progress(make_user, publish, monkeypatch) -> None:
    ana = make_user("ana")
    publish(ana, count=3)
    seen: list[int] = []
    real_write = archive.archive_write

    def spy(*, user, target, progress):
        def record(percent: int) -> None:
            seen.append(percent)
            progress(percent)

        real_write(user=user, target=target, progress=record)

    monkeypatch.setattr(exports, "archive_write", spy)
    export = DataExport.objects.create(user=ana, file_name=f"exports/{ana.pk}/a.zip")
    assert exports.data_export_build(export_id=export.pk) == "ready"
    assert seen == sorted(seen)
    assert seen[0] == archive.DOCUMENTS_SHARE
    assert seen[-1] == 99
    export.refresh_from_db()
    made = (export.status, export.progress, export.finished_at, export.size_bytes)
    assert exports.data_export_build(export_id=export.pk) == "ready"
    export.refresh_from_db()
    assert (export.status, export.progress, export.finished_at, export.size_bytes) == made
    assert stored_files() >= {export.file_name}


def test_a_failed_build_leaves_no_file_and_frees_the_slot(make_user, publish, run_commit_hooks):
    ana = make_user("ana")
    post = publish(ana)
    original = media_original_path(post.items.get().media)
    assert original
    default_storage.delete(original)
    export = run_commit_hooks(lambda: exports.data_export_request(user=ana))
    export.refresh_from_db()
    assert export.status == "failed"
    assert not any(name.startswith("exports/") for name in stored_files())
    assert exports.data_export_request(user=ana).pk != export.pk


def test_expired_archives_are_deleted_and_their_link_answers_410(
    make_user, publish, run_commit_hooks
) -> None:
    ana = make_user("ana")
    publish(ana)
    client = api_as(ana)
    state = request_and_build(client, run_commit_hooks)
    export = DataExport.objects.get(pk=state["id"])
    assert export.file_name in stored_files()
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    auth = f"Bearer {client.token}"
    assert client.client.get(state["download_url"], HTTP_AUTHORIZATION=auth).status_code == 410
    assert exports.data_exports_expire() == 1
    assert export.file_name not in stored_files()
    after = client.get("accounts/me/export").json()
    assert (after["status"], after["download_url"]) == ("expired", None)
    assert client.client.get(state["download_url"], HTTP_AUTHORIZATION=auth).status_code == 410
    assert exports.data_exports_expire() == 0  # nothing left to do


def test_a_lost_job_is_given_up_after_a_while(make_user, settings) -> None:
    ana = make_user("ana")
    lost = DataExport.objects.create(
        user=ana,
        file_name=f"exports/{ana.pk}/lost.zip",
        status="running",
        updated_at=timezone.now() - timedelta(minutes=settings.GLIMPSE_EXPORT_STALE_MINUTES + 1),
    )
    moving = DataExport.objects.create(user=make_user("bea"), file_name="exports/x/y.zip")
    assert exports.data_exports_expire() == 1
    lost.refresh_from_db()
    moving.refresh_from_db()
    assert (lost.status, moving.status) == ("failed", "queued")


def test_api_without_an_archive_and_anonymous(make_user, anon) -> None:
    ana = make_user("ana")
    assert api_as(ana).get("accounts/me/export").status_code == 404
    assert anon.post("accounts/me/export").status_code == 401
    assert anon.get("accounts/me/export").status_code == 401
    assert not DataExport.objects.exists()


def test_new_archives_are_limited_per_day(make_user, settings) -> None:
    settings.GLIMPSE_RATE_DATA_EXPORTS = (2, 24 * 60 * 60)
    ana = make_user("ana")
    client = api_as(ana)
    for _ in range(2):
        assert client.post("accounts/me/export").status_code == 202
        DataExport.objects.filter(user=ana).update(status="failed")
    refused = client.post("accounts/me/export")
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert DataExport.objects.filter(user=ana).count() == 2
