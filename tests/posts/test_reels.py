"""Publishing Reels (one video, at most 3 minutes, no taller than 9:16) and counting plays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.graph import services as graph
from glimpse.posts import services
from glimpse.posts.models import Post, ReelView
from glimpse.posts.presenters import post_json, post_view_of
from glimpse.posts.selectors import post_get
from tests.posts.conftest import follow, snapshot

pytestmark = pytest.mark.django_db


def _refused(call: Callable[[], Any]) -> list[str]:
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        call()
    assert snapshot() == before  # a refusal writes nothing, attaches nothing
    return [text for texts in caught.value.fields.values() for text in texts]


def test_a_portrait_video_is_published_as_a_reel_and_keeps_its_shape(
    make_user: Callable[..., User], media_for: Any
) -> None:
    ana = make_user("ana")
    [video] = media_for(ana, video=True, width=180, height=320)
    post = services.post_create(author=ana, media_ids=[video.pk], kind="reel", caption="Hi")
    assert post.kind == Post.Kind.REEL
    assert post.is_reel
    assert post.view_count == 0
    body = post_json(post_view_of(post_get(viewer=ana, post_id=post.pk)))
    assert body["kind"] == "reel"
    assert body["view_count"] == 0
    [media] = body["media"]
    assert (media["width"], media["height"]) == (180, 320)
    # The MP4s and the poster frames keep the 9:16 shape: nothing is cut to 4:5. Only the
    # small square thumbnail (notifications, pickers) is square, as for every item.
    shown = [r for r in media["renditions"] if not r["name"].endswith("thumb")]
    assert {r["format"] for r in shown} == {"mp4", "jpeg", "webp"}
    for rendition in shown:
        assert rendition["width"] * 16 == pytest.approx(rendition["height"] * 9, rel=0.03), (
            rendition
        )


def test_a_plain_post_says_so_and_has_no_view_count(
    make_user: Callable[..., User], publish: Any
) -> None:
    ana = make_user("ana")
    post = publish(ana)
    assert post.kind == Post.Kind.POST
    assert not post.is_reel
    body = post_json(post_view_of(post_get(viewer=ana, post_id=post.pk)))
    assert body["kind"] == "post"
    assert body["view_count"] is None


@pytest.mark.parametrize(("width", "height"), [(320, 180), (240, 240), (180, 320)])
def test_landscape_square_and_9_16_videos_may_be_reels(
    make_user: Callable[..., User], media_for: Any, width: int, height: int
) -> None:
    ana = make_user("ana")
    [video] = media_for(ana, video=True, width=width, height=height)
    assert services.post_create(author=ana, media_ids=[video.pk], kind="reel").is_reel


def test_a_video_taller_than_9_16_is_refused(
    make_user: Callable[..., User], media_for: Any
) -> None:
    ana = make_user("ana")
    [video] = media_for(ana, video=True, width=160, height=480)
    problems = _refused(lambda: services.post_create(author=ana, media_ids=[video.pk], kind="reel"))
    assert problems == ["A Reel is at most as tall as 9:16; this video is 160x480."]
    # The same video is fine as a plain post.
    assert not services.post_create(author=ana, media_ids=[video.pk]).is_reel


def test_a_reel_longer_than_the_limit_is_refused(
    make_user: Callable[..., User], media_for: Any, settings: Any
) -> None:
    settings.GLIMPSE_REEL_MAX_SECONDS = 2
    ana = make_user("ana")
    [long] = media_for(ana, video=True, width=180, height=320, frame_times=[0.0, 1.0, 3.0])
    [short] = media_for(ana, video=True, width=180, height=320, frame_times=[0.0, 2.2])
    problems = _refused(lambda: services.post_create(author=ana, media_ids=[long.pk], kind="reel"))
    assert problems == ["A Reel lasts at most 2 seconds; this video lasts 3."]
    # Half a second over is tolerated, as for every video.
    assert services.post_create(author=ana, media_ids=[short.pk], kind="reel").is_reel


def test_a_reel_is_one_video(make_user: Callable[..., User], media_for: Any) -> None:
    ana = make_user("ana")
    [photo] = media_for(ana)
    videos = media_for(ana, 2, video=True, width=180, height=320)
    assert _refused(
        lambda: services.post_create(author=ana, media_ids=[photo.pk], kind="reel")
    ) == ["A Reel is a video, not a photo."]
    assert _refused(
        lambda: services.post_create(author=ana, media_ids=[v.pk for v in videos], kind="reel")
    ) == ["A Reel is one video."]
    assert _refused(
        lambda: services.post_create(author=ana, media_ids=[videos[0].pk], kind="story")
    ) == ["A post is published as a post or as a reel."]


def test_someone_elses_video_is_missing_not_checked(
    make_user: Callable[..., User], media_for: Any
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    [video] = media_for(bob, video=True, width=180, height=320)
    before = snapshot()
    with pytest.raises(NotFound):
        services.post_create(author=ana, media_ids=[video.pk], kind="reel")
    assert snapshot() == before


# --- Plays -----------------------------------------------------------------------------------


def test_a_play_counts_once_per_account_and_never_for_the_author(
    make_user: Callable[..., User], publish_reel: Any
) -> None:
    ana, bob, eve = make_user("ana"), make_user("bob"), make_user("eve")
    reel = publish_reel(ana)
    assert services.reel_view_record(viewer=ana, post_id=reel.pk) == 0
    assert services.reel_view_record(viewer=bob, post_id=reel.pk) == 1
    assert services.reel_view_record(viewer=bob, post_id=reel.pk) == 1  # a replay
    assert services.reel_view_record(viewer=eve, post_id=reel.pk) == 2
    reel.refresh_from_db()
    assert reel.view_count == 2
    assert set(ReelView.objects.values_list("viewer__username", flat=True)) == {"bob", "eve"}


def test_a_play_of_what_the_viewer_may_not_see_is_missing_and_counts_nothing(
    make_user: Callable[..., User], publish_reel: Any, publish: Any
) -> None:
    private, stranger = make_user("priv", is_private=True), make_user("stranger")
    friend, blocked = make_user("friend"), make_user("blocked")
    follow(friend, private)
    reel = publish_reel(private)
    public = make_user("pub")
    public_reel = publish_reel(public)
    graph.block_create(blocker=public, blocked=blocked)
    plain = publish(public)
    for viewer, post_id in (
        (stranger, reel.pk),  # a private account's reel, to a non-follower
        (blocked, public_reel.pk),  # a blocked account
        (stranger, plain.pk),  # a post that is not a reel
        (stranger, 2**62),  # nothing at all
    ):
        before = snapshot()
        with pytest.raises(NotFound):
            services.reel_view_record(viewer=viewer, post_id=post_id)
        assert snapshot() == before
    assert services.reel_view_record(viewer=friend, post_id=reel.pk) == 1


def test_a_deleted_accounts_plays_leave_the_count(
    make_user: Callable[..., User], publish_reel: Any
) -> None:
    ana, bob, eve = make_user("ana"), make_user("bob"), make_user("eve")
    reel = publish_reel(ana)
    services.reel_view_record(viewer=bob, post_id=reel.pk)
    services.reel_view_record(viewer=eve, post_id=reel.pk)
    with transaction.atomic():
        services.account_posts_delete(user=bob)
        bob.delete()
    reel.refresh_from_db()
    assert reel.view_count == 1 == ReelView.objects.filter(post=reel).count()
