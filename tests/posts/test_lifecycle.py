"""Deleting, archiving and pinning posts, and the counts that follow them."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from glimpse.core.errors import Conflict, NotFound, PermissionDenied
from glimpse.media.models import MediaItem
from glimpse.posts import selectors, services
from glimpse.posts.models import Comment, Hashtag, Like, Place, Post
from glimpse.posts.services import PlaceSpec
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db


def _counts(user, tag="tag", place="Here") -> tuple[int, int, int]:
    user.refresh_from_db()
    return (
        user.post_count,
        Hashtag.objects.get(name=tag).post_count,
        Place.objects.get(name=place).post_count,
    )


def test_delete_removes_the_post_its_media_files_and_engagement(
    make_user, publish, run_commit_hooks
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana, 2, caption="#tag", place=PlaceSpec(name="Here"))
    services.like_create(user=bea, post_id=post.pk)
    services.comment_create(author=bea, post_id=post.pk, text="nice")
    media = list(MediaItem.objects.filter(post_item__post=post))
    files = [r["path"] for item in media for r in item.renditions]
    assert files
    assert all(default_storage.exists(f) for f in files)
    assert _counts(ana) == (1, 1, 1)
    run_commit_hooks(lambda: services.post_delete(actor=ana, post_id=post.pk))
    assert not Post.objects.exists()
    assert not Like.objects.exists()
    assert not Comment.objects.exists()
    assert not MediaItem.objects.exists()
    assert not any(default_storage.exists(f) for f in files)
    assert _counts(ana) == (0, 0, 0)


def test_only_the_author_deletes(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.post_delete(actor=bea, post_id=post.pk)
    with pytest.raises(NotFound):
        services.post_delete(actor=ana, post_id=post.pk + 1)
    assert snapshot() == before


def test_archive_hides_from_others_and_leaves_the_counts(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana, caption="#tag", place=PlaceSpec(name="Here"))
    services.post_archive(actor=ana, post_id=post.pk)
    services.post_archive(actor=ana, post_id=post.pk)  # twice is fine
    assert _counts(ana) == (0, 0, 0)
    assert selectors.post_get(viewer=ana, post_id=post.pk).is_archived
    for viewer in (bea, None):
        with pytest.raises(NotFound):
            selectors.post_get(viewer=viewer, post_id=post.pk)
    assert selectors.account_posts(viewer=ana, username="ana").items == []
    assert [p.pk for p in selectors.archived_posts(viewer=ana).items] == [post.pk]
    before = snapshot()
    with pytest.raises(NotFound):
        services.like_create(user=bea, post_id=post.pk)
    assert snapshot() == before
    services.post_unarchive(actor=ana, post_id=post.pk)
    assert _counts(ana) == (1, 1, 1)
    assert selectors.post_get(viewer=bea, post_id=post.pk).pk == post.pk


def test_pinned_posts_come_first_at_most_three(make_user, publish) -> None:
    ana = make_user("ana")
    posts = [publish(ana) for _ in range(5)]
    for post in (posts[0], posts[2], posts[1]):
        services.post_pin(actor=ana, post_id=post.pk)
    services.post_pin(actor=ana, post_id=posts[1].pk)  # twice is fine
    before = snapshot()
    with pytest.raises(Conflict) as caught:
        services.post_pin(actor=ana, post_id=posts[4].pk)
    assert caught.value.code == "pin_limit"
    assert snapshot() == before
    grid = selectors.account_posts(viewer=None, username="ana").items
    # Latest pinned first, then the others newest first.
    assert [p.pk for p in grid] == [posts[i].pk for i in (1, 2, 0, 4, 3)]
    assert [p.is_pinned for p in grid] == [True, True, True, False, False]
    services.post_unpin(actor=ana, post_id=posts[2].pk)
    services.post_pin(actor=ana, post_id=posts[4].pk)
    grid = selectors.account_posts(viewer=None, username="ana").items
    assert [p.pk for p in grid] == [posts[i].pk for i in (4, 1, 0, 3, 2)]


def test_archiving_unpins_and_archived_posts_cannot_be_pinned(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana)
    services.post_pin(actor=ana, post_id=post.pk)
    services.post_archive(actor=ana, post_id=post.pk)
    post.refresh_from_db()
    assert post.pinned_at is None
    with pytest.raises(Conflict):
        services.post_pin(actor=ana, post_id=post.pk)


def test_grid_pages_do_not_repeat_pinned_posts(make_user, publish) -> None:
    ana = make_user("ana")
    posts = [publish(ana) for _ in range(5)]
    services.post_pin(actor=ana, post_id=posts[0].pk)
    first = selectors.account_posts(viewer=None, username="ana", limit=2)
    assert [p.pk for p in first.items] == [posts[0].pk, posts[4].pk, posts[3].pk]
    second = selectors.account_posts(viewer=None, username="ana", limit=2, max_id=first.next_max_id)
    assert [p.pk for p in second.items] == [posts[2].pk, posts[1].pk]
    assert second.next_max_id is None
