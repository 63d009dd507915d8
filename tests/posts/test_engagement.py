"""Likes, likers, saves into collections and reposts."""

from __future__ import annotations

import pytest

from glimpse.core.errors import Conflict, InvalidInput, NotFound
from glimpse.posts import selectors, services
from glimpse.posts.models import Collection, CollectionItem, Like, Repost, Save
from tests.posts.conftest import follow, snapshot

pytestmark = pytest.mark.django_db


def test_a_second_like_changes_nothing_and_unlike_takes_it_back(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    assert services.like_create(user=bea, post_id=post.pk).like_count == 1
    before = snapshot()
    liked = services.like_create(user=bea, post_id=post.pk)
    assert (liked.like_count, liked.viewer_liked) == (1, True)
    assert snapshot() == before
    assert services.like_delete(user=bea, post_id=post.pk).like_count == 0
    assert services.like_delete(user=bea, post_id=post.pk).like_count == 0
    assert not Like.objects.exists()


def test_the_viewer_state_and_hidden_like_counts(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana, hide_like_count=True)
    services.like_create(user=bea, post_id=post.pk)
    services.save_create(user=bea, post_id=post.pk)
    seen = selectors.post_get(viewer=bea, post_id=post.pk)
    assert (seen.viewer_liked, seen.viewer_saved, seen.viewer_reposted) == (True, True, False)
    assert seen.shown_like_count is None
    assert selectors.post_get(viewer=ana, post_id=post.pk).shown_like_count == 1
    assert selectors.post_get(viewer=None, post_id=post.pk).shown_like_count is None
    assert selectors.post_get(viewer=ana, post_id=post.pk).viewer_liked is False


def test_likers_latest_first_with_a_cursor(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana)
    fans = [make_user(f"fan{n}") for n in range(3)]
    for fan in fans:
        services.like_create(user=fan, post_id=post.pk)
    first = selectors.post_likers(viewer=None, post_id=post.pk, limit=2)
    assert [u.username for u in first.items] == ["fan2", "fan1"]
    rest = selectors.post_likers(viewer=None, post_id=post.pk, max_id=first.next_max_id)
    assert [u.username for u in rest.items] == ["fan0"]


def test_saves_and_collections(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    one, two = publish(ana), publish(ana)
    trips = services.collection_create(owner=bea, name="Trips")
    food = services.collection_create(owner=bea, name="Food")
    services.save_create(user=bea, post_id=one.pk, collection_id=trips.pk)
    services.save_create(user=bea, post_id=one.pk, collection_id=food.pk)
    services.save_create(user=bea, post_id=two.pk)
    one.refresh_from_db()
    assert one.save_count == 1  # saved once, in two collections
    assert [p.pk for p in selectors.saved_posts(viewer=bea).items] == [two.pk, one.pk]
    listed = selectors.collection_list(viewer=bea).items
    assert [(c.name, c.post_count, c.cover.pk if c.cover else None) for c in listed] == [
        ("Food", 1, one.pk),
        ("Trips", 1, one.pk),
    ]
    assert selectors.post_collection_ids(viewer=bea, post_id=one.pk) == sorted([trips.pk, food.pk])
    # Out of one collection: still saved.
    assert services.save_delete(user=bea, post_id=one.pk, collection_id=food.pk).viewer_saved
    assert selectors.post_collection_ids(viewer=bea, post_id=one.pk) == [trips.pk]
    # Unsaved: out of every collection.
    assert not services.save_delete(user=bea, post_id=one.pk).viewer_saved
    assert not CollectionItem.objects.exists()
    one.refresh_from_db()
    assert one.save_count == 0


def test_collections_are_private_and_named_once(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    mine = services.collection_create(owner=bea, name="Été")
    before = snapshot()
    with pytest.raises(Conflict):
        services.collection_create(owner=bea, name="ÉTÉ")
    with pytest.raises(InvalidInput):
        services.collection_create(owner=bea, name="  ")
    with pytest.raises(InvalidInput):
        services.collection_create(owner=bea, name="x" * 101)
    for call in (
        lambda: selectors.collection_get(viewer=ana, collection_id=mine.pk),
        lambda: services.collection_update(owner=ana, collection_id=mine.pk, name="Mine"),
        lambda: services.collection_delete(owner=ana, collection_id=mine.pk),
        lambda: services.save_create(user=ana, post_id=post.pk, collection_id=mine.pk),
    ):
        with pytest.raises(NotFound):
            call()
    assert snapshot() == before
    services.collection_create(owner=ana, name="Été")  # another owner may use the name
    renamed = services.collection_update(owner=bea, collection_id=mine.pk, name="été")
    assert renamed.name == "été"
    services.save_create(user=bea, post_id=post.pk, collection_id=mine.pk)
    services.collection_delete(owner=bea, collection_id=mine.pk)
    assert Save.objects.filter(user=bea).exists()  # the post stays saved
    assert not Collection.objects.filter(owner=bea).exists()


def test_reposts_of_public_posts_only(make_user, publish) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal", is_private=True)
    public, own, private = publish(ana), publish(bea), publish(cal)
    follow(bea, cal)
    reposted = services.repost_create(user=bea, post_id=public.pk)
    assert (reposted.repost_count, reposted.viewer_reposted) == (1, True)
    assert services.repost_create(user=bea, post_id=public.pk).repost_count == 1
    before = snapshot()
    with pytest.raises(Conflict) as caught:
        services.repost_create(user=bea, post_id=own.pk)
    assert caught.value.code == "own_post"
    with pytest.raises(Conflict) as caught:
        services.repost_create(user=bea, post_id=private.pk)
    assert caught.value.code == "not_public"
    assert snapshot() == before
    assert services.repost_delete(user=bea, post_id=public.pk).repost_count == 0
    assert not Repost.objects.exists()
