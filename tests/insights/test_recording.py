"""Recording impressions: one cheap append from every read path, counted once by the flush."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.insights import services
from glimpse.insights.buffer import get_buffer
from glimpse.insights.models import ImpressionTally, PostViewer
from glimpse.posts.models import Place, Post
from tests.conftest import ApiClient
from tests.insights.conftest import Run, api_as, web_as

pytestmark = pytest.mark.django_db


def tallies(post: Post) -> dict[str, int]:
    """Flush, then return the post's impressions by source."""
    services.impressions_flush()
    found: dict[str, int] = {}
    for source, count in ImpressionTally.objects.filter(post=post).values_list("source", "count"):
        found[source] = found.get(source, 0) + count
    return found


def test_recording_a_thousand_views_writes_nothing_to_the_database(ana: User, bo: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        services.impressions_record(viewer=bo, post_ids=list(range(1, 1001)), source="feed")
    assert len(queries) == 0
    assert get_buffer().size() == 1000


def test_an_unknown_source_is_refused(ana: User) -> None:
    with pytest.raises(services.InvalidInput):
        services.impressions_record(viewer=ana, post_ids=[1], source="billboard")
    assert get_buffer().size() == 0


@pytest.fixture
def scene(ana: User, bo: User, publish: Callable[..., Post], run: Run) -> Post:
    """A public post of ana's, with a hashtag and a place; bo follows ana."""
    post = publish(ana, caption="Morning #sunrise")
    place = Place.objects.create(name="Lisbon", search_name="lisbon", key="lisbon")
    Post.objects.filter(pk=post.pk).update(place=place)
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    return Post.objects.get(pk=post.pk)


@pytest.mark.parametrize(
    ("source", "kind", "path"),
    [
        ("feed", "api", "feed"),
        ("feed", "web", "/"),
        ("explore", "api", "explore"),
        ("explore", "web", "/explore/"),
        ("hashtag", "api", "tags/sunrise/posts"),
        ("hashtag", "web", "/explore/tags/sunrise/"),
        ("place", "api", "places/{place}/posts"),
        ("place", "web", "/explore/places/{place}/"),
        ("profile", "api", "accounts/ana/posts"),
        ("profile", "web", "/ana/"),
        ("post", "api", "posts/{post}"),
        ("post", "web", "/p/{post}/"),
    ],
)
def test_each_read_path_records_its_source(
    scene: Post, bo: User, cy: User, source: str, kind: str, path: str, run: Run
) -> None:
    # Explore shows accounts the viewer does not follow: cy looks there, bo elsewhere.
    viewer = cy if source == "explore" else bo
    url = path.format(post=scene.pk, place=scene.place_id)
    # Some paths publish the posts they showed, which insights record after commit.
    answer = run(lambda: api_as(viewer).get(url) if kind == "api" else web_as(viewer).get(url))
    assert answer.status_code == 200, url
    assert tallies(scene) == {source: 1}
    assert list(PostViewer.objects.values_list("viewer_id", "post_id")) == [(viewer.pk, scene.pk)]


def test_the_flush_counts_what_may_be_counted(
    scene: Post, ana: User, bo: User, cy: User, run: Run
) -> None:
    record = services.impressions_record
    record(viewer=bo, post_ids=[scene.pk, scene.pk], source="feed")
    record(viewer=None, post_ids=[scene.pk], source="post")  # anonymous: no reach
    record(viewer=ana, post_ids=[scene.pk], source="profile")  # the author's own view
    record(viewer=cy, post_ids=[scene.pk, 999], source="explore")  # 999: no such post
    get_buffer().append(["not an impression"])
    run(lambda: graph.block_create(blocker=ana, blocked=cy))  # before the flush
    assert tallies(scene) == {"feed": 2, "post": 1}
    assert list(PostViewer.objects.values_list("viewer_id", flat=True)) == [bo.pk]
    tally = ImpressionTally.objects.get(post=scene, source="feed")
    assert (tally.count, tally.follower_count) == (2, 2)  # bo follows ana


def test_a_batch_left_by_a_dead_flush_is_counted_once(scene: Post, bo: User) -> None:
    services.impressions_record(viewer=bo, post_ids=[scene.pk] * 3, source="feed")
    buffer = get_buffer()
    taken = buffer.take(100)  # a flush took it, then died before counting
    assert taken is not None
    services.impressions_record(viewer=bo, post_ids=[scene.pk], source="post")
    assert services.impressions_flush() == 4
    assert tallies(scene) == {"feed": 3, "post": 1}

    services.impressions_record(viewer=bo, post_ids=[scene.pk], source="feed")
    batch, entries = buffer.take(100) or ("", [])
    services._count_batch(batch, entries)  # counted and committed, then died before release
    assert [b for b, _ in buffer.pending()] == [batch]
    assert services.impressions_flush() == 0
    assert tallies(scene) == {"feed": 4, "post": 1}
    assert list(buffer.pending()) == []


def test_a_full_buffer_is_flushed_without_waiting_for_the_periodic_job(
    scene: Post, bo: User, settings: Any, run: Run
) -> None:
    settings.GLIMPSE_INSIGHTS_FLUSH_AT = 5
    run(lambda: services.impressions_record(viewer=bo, post_ids=[scene.pk] * 4, source="feed"))
    assert not ImpressionTally.objects.exists()
    run(lambda: services.impressions_record(viewer=bo, post_ids=[scene.pk], source="feed"))
    assert get_buffer().size() == 0
    assert ImpressionTally.objects.get().count == 5


def test_the_share_endpoint_records_a_share(scene: Post, bo: User) -> None:
    answer = api_as(bo).post("shares", {"post_id": str(scene.pk)})
    assert answer.status_code == 200
    assert answer.json()["url"].endswith(f"/p/{scene.pk}/")
    assert services.ShareEvent.objects.filter(post=scene, sharer=bo).count() == 1


@pytest.mark.parametrize("body", [{}, {"post_id": "x"}, {"post_id": "0"}])
def test_a_share_of_no_valid_post_is_refused(bo: User, body: dict[str, str]) -> None:
    answer = api_as(bo).post("shares", body)
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"].keys() == {"post_id"}
    assert not services.ShareEvent.objects.exists()


def test_a_hidden_post_cannot_be_shared(
    make_user: Callable[..., User], publish: Callable[..., Post], bo: User, anon: ApiClient
) -> None:
    secret = make_user("secret", is_private=True)
    post = publish(secret)
    answer = api_as(bo).post("shares", {"post_id": str(post.pk)})
    missing = api_as(bo).post("shares", {"post_id": "12345"})
    assert answer.status_code == 404
    assert answer.json() == missing.json()
    assert anon.post("shares", {"post_id": str(post.pk)}).status_code == 401
    assert not services.ShareEvent.objects.exists()


def test_a_viewer_deleted_before_the_flush_is_an_anonymous_view(
    scene: Post, make_user: Callable[..., User]
) -> None:
    gone = make_user("gone")
    services.impressions_record(viewer=gone, post_ids=[scene.pk], source="explore")
    User.objects.filter(pk=gone.pk).delete()
    assert tallies(scene) == {"explore": 1}
    assert not PostViewer.objects.exists()
    assert list(get_buffer().pending()) == []


def test_no_follow_event_is_kept_for_a_deleted_account(ana: User, bo: User) -> None:
    gone_pk = bo.pk
    User.objects.filter(pk=gone_pk).delete()
    assert services.follow_events_record(pairs=[(ana.pk, gone_pk)], gained=False) == []
