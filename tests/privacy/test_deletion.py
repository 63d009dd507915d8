"""Deleting an account: a grace period that logging in cancels, then everything goes."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.services import avatar_set
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.posts import services as posts
from glimpse.posts.models import Comment, Hashtag, Post
from glimpse.privacy import deletion, erase, exports
from glimpse.privacy.models import StorageSweep
from glimpse.stories import services as stories
from glimpse.stories.models import Story
from tests.conftest import PASSWORD
from tests.privacy.conftest import api_as, small_jpeg, stored_files, web_as

pytestmark = pytest.mark.django_db


def past_grace(user: User, settings) -> None:
    """Move the account's deletion request back beyond the grace period."""
    days = settings.GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS
    User.objects.filter(pk=user.pk).update(
        deletion_requested_at=timezone.now() - timedelta(days=days, seconds=1)
    )


def test_asking_deactivates_logs_out_and_hides_the_account(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    client, web = api_as(ana), web_as(ana)
    answer = client.post("accounts/me/delete", {"password": PASSWORD})
    assert answer.status_code == 202
    ana.refresh_from_db()
    assert ana.is_active is False
    due = ana.deletion_requested_at + timedelta(days=30)
    assert answer.json()["deletion_at"].startswith(due.strftime("%Y-%m-%dT%H:%M"))
    assert client.get("accounts/me").status_code == 401  # its tokens are refused
    assert not ApiToken.objects.filter(user=ana, revoked_at__isnull=True).exists()
    assert web.get(reverse("accounts:settings")).status_code == 302  # its session ended
    viewer = api_as(bea)
    assert viewer.get("accounts/ana").status_code == 404
    assert viewer.get(f"posts/{post.pk}").status_code == 404
    assert web_as(None).get(reverse("profile", args=["ana"])).status_code == 404


def test_a_wrong_password_schedules_nothing(make_user) -> None:
    ana = make_user("ana")
    refused = api_as(ana).post("accounts/me/delete", {"password": "not-it"})
    assert refused.status_code == 422
    ana.refresh_from_db()
    assert (ana.is_active, ana.deletion_requested_at) == (True, None)


def test_logging_in_on_the_web_during_the_grace_period_cancels(make_user, publish) -> None:
    ana = make_user("ana")
    publish(ana)
    deletion.account_deletion_request(user=ana, password=PASSWORD)
    client = web_as(None)
    response = client.post(
        reverse("accounts:login"), {"login": "ana", "password": PASSWORD}, follow=True
    )
    assert "Welcome back, your account will not be deleted" in response.content.decode()
    ana.refresh_from_db()
    assert (ana.is_active, ana.deletion_requested_at) == (True, None)
    assert web_as(None).get(reverse("profile", args=["ana"])).status_code == 200


def test_logging_in_through_the_api_during_the_grace_period_cancels(make_user, anon) -> None:
    ana = make_user("ana")
    deletion.account_deletion_request(user=ana, password=PASSWORD)
    answer = anon.post("auth/token", {"username": "ana", "password": PASSWORD})
    assert answer.status_code == 200
    assert answer.json()["notice"] == "Welcome back, your account will not be deleted."
    ana.refresh_from_db()
    assert (ana.is_active, ana.deletion_requested_at) == (True, None)
    again = anon.post("auth/token", {"username": "ana", "password": PASSWORD})
    assert again.json()["notice"] is None


def test_a_wrong_password_on_a_waiting_account_says_what_an_unknown_one_says(
    make_user, anon
) -> None:
    ana = make_user("ana")
    deletion.account_deletion_request(user=ana, password=PASSWORD)
    waiting = anon.post("auth/token", {"username": "ana", "password": "nope"})
    unknown = anon.post("auth/token", {"username": "nobody", "password": "nope"})
    assert waiting.status_code == unknown.status_code == 401
    assert waiting.json() == unknown.json()
    ana.refresh_from_db()
    assert ana.deletion_requested_at is not None
    assert ana.is_active is False


def test_the_purge_waits_for_the_grace_period(make_user, settings) -> None:
    ana = make_user("ana")
    deletion.account_deletion_request(user=ana, password=PASSWORD)
    User.objects.filter(pk=ana.pk).update(
        deletion_requested_at=timezone.now() - timedelta(days=29, hours=23)
    )
    assert deletion.accounts_purge_due() == 0
    assert User.objects.filter(pk=ana.pk).exists()


def test_the_purge_removes_every_row_and_file_of_the_account_and_only_those(
    make_user, publish, media_for, post_story, run_commit_hooks, settings
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    kept = publish(bea, caption="bea's #shared")
    post_story(bea)
    avatar = small_jpeg(5, (200, 200))
    avatar_set(user=bea, upload=io.BytesIO(avatar), size_bytes=len(avatar))
    theirs = stored_files()

    publish(ana, count=2, caption="#shared")
    media_for(ana)  # an upload never posted
    media_for(ana, ready=False)  # one still waiting for processing
    post_story(ana)
    avatar_set(user=ana, upload=io.BytesIO(avatar), size_bytes=len(avatar))
    run_commit_hooks(lambda: exports.data_export_request(user=ana))
    keys = list(MediaItem.objects.filter(owner=ana).values_list("storage_key", flat=True))
    mine = stored_files() - theirs
    assert len(keys) == 5
    assert any(f.startswith(f"avatars/{ana.pk}/") for f in mine)
    assert any(f.startswith(f"exports/{ana.pk}/") for f in mine)
    assert all(any(f.startswith(f"media/{key}/") for f in mine) for key in keys)

    deletion.account_deletion_request(user=ana, password=PASSWORD)
    past_grace(ana, settings)
    assert run_commit_hooks(deletion.accounts_purge_due) == 1

    assert not User.objects.filter(pk=ana.pk).exists()
    assert not MediaItem.objects.filter(owner_id=ana.pk).exists()
    assert not Post.objects.filter(author_id=ana.pk).exists()
    assert not Story.objects.filter(author_id=ana.pk).exists()
    left = stored_files()
    assert left == theirs  # every file of ana is gone; every file of bea is still there
    assert not any(str(ana.pk) in f or any(key in f for key in keys) for f in left)
    assert not StorageSweep.objects.exists()
    kept.refresh_from_db()
    assert Hashtag.objects.get(name="shared").post_count == 1
    assert run_commit_hooks(deletion.accounts_purge_due) == 0  # idempotent


def test_counts_elsewhere_stay_exact(
    make_user, publish, post_story, run_commit_hooks, settings
) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    post = publish(bea, caption="#kept")
    story = post_story(bea)
    posts.like_create(user=ana, post_id=post.pk)
    posts.like_create(user=cal, post_id=post.pk)
    posts.save_create(user=ana, post_id=post.pk)
    thread = posts.comment_create(author=ana, post_id=post.pk, text="ana's thread")
    posts.comment_create(author=cal, post_id=post.pk, text="reply to ana", parent_id=thread.pk)
    other = posts.comment_create(author=cal, post_id=post.pk, text="cal's")
    posts.comment_create(author=ana, post_id=post.pk, text="ana replies", parent_id=other.pk)
    posts.comment_like_create(user=ana, comment_id=other.pk)
    graph.follow_create(follower=ana, followee=bea)
    graph.follow_create(follower=cal, followee=ana)
    graph.follow_create(follower=cal, followee=bea)
    stories.story_mark_seen(viewer=ana, story_id=story.pk)
    stories.story_mark_seen(viewer=cal, story_id=story.pk)

    deletion.account_deletion_request(user=ana, password=PASSWORD)
    past_grace(ana, settings)
    run_commit_hooks(deletion.accounts_purge_due)

    post.refresh_from_db()
    other.refresh_from_db()
    bea.refresh_from_db()
    cal.refresh_from_db()
    story.refresh_from_db()
    assert (post.like_count, post.save_count) == (1, 0)
    assert post.comment_count == Comment.objects.filter(post=post).count() == 1
    assert (other.reply_count, other.like_count) == (0, 0)
    assert (bea.follower_count, cal.following_count) == (1, 1)
    assert story.view_count == 1


def test_a_purge_killed_after_its_commit_is_finished_by_the_next_run(
    make_user, publish, django_capture_on_commit_callbacks, settings
) -> None:
    ana = make_user("ana")
    publish(ana)
    keys = list(MediaItem.objects.filter(owner=ana).values_list("storage_key", flat=True))
    # The rows go, but the process dies before its after-commit file deletion runs.
    with django_capture_on_commit_callbacks(execute=False):
        erase.account_erase(user=ana)
    assert not User.objects.filter(pk=ana.pk).exists()
    assert any(f.startswith(f"media/{keys[0]}/") for f in stored_files())
    assert StorageSweep.objects.exists()
    deletion.accounts_purge_due()
    assert not any(f.startswith(f"media/{keys[0]}/") for f in stored_files())
    assert not StorageSweep.objects.exists()


def test_the_periodic_jobs_are_scheduled(settings) -> None:
    from config.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"privacy.accounts_purge", "privacy.exports_expire"} <= tasks
    app.loader.import_default_modules()
    assert {"privacy.accounts_purge", "privacy.exports_expire"} <= set(app.tasks)
