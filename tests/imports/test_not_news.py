"""An imported post is an old post, not news: it reaches no follower's feed (on either feed
store, fanned out or rebuilt), tells no mentioned account, and counts in nothing new.
(Its streams and other servers: tests/mastodon/test_streaming.py and
tests/federation/test_outgoing_posts.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from glimpse.feeds.selectors import feed_page
from glimpse.graph.services import follow_create
from glimpse.notifications.models import Notification
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.feeds.conftest import redis_feeds, store
from tests.imports.conftest import T2019, instagram_archive, jpeg, photo_entry

__all__ = ["redis_feeds", "store"]

pytestmark = pytest.mark.django_db


def feed_ids(viewer) -> list[int]:
    return [item.post_id for item in feed_page(viewer=viewer).items]


def test_an_imported_post_reaches_no_feed_but_a_new_one_does(
    store: Any, make_user, media_for, run_commit_hooks, run_import
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    follow_create(follower=bea, followee=ana)
    assert feed_ids(bea) == []  # the feed exists (the Redis store builds it on this read)
    archive = instagram_archive(posts=[photo_entry("media/posts/a.jpg", T2019, title="old")])
    run_import(ana, archive.add("media/posts/a.jpg", jpeg(1)).bytes())
    imported = Post.objects.get(author=ana, imported_from="instagram")
    [photo] = media_for(ana, 1)
    fresh = run_commit_hooks(lambda: services.post_create(author=ana, media_ids=[photo.pk]))
    assert feed_ids(bea) == [fresh.pk]
    assert feed_ids(ana) == [fresh.pk]
    # Rebuilt from the database (a lost feed), it still leaves the imported post out.
    store.forget([bea.pk, ana.pk])
    assert feed_ids(bea) == [fresh.pk]
    assert imported.pk not in feed_ids(ana)


def test_an_imported_post_notifies_no_one_it_names(make_user, run_import) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    archive = instagram_archive(
        posts=[photo_entry("media/posts/a.jpg", T2019, title="with @bea at the beach")]
    )
    run_import(ana, archive.add("media/posts/a.jpg", jpeg(1)).bytes())
    post = Post.objects.get(author=ana)
    assert post.caption == "with @bea at the beach"
    assert not Notification.objects.filter(recipient=bea).exists()


def test_a_new_post_naming_the_same_account_does_notify(
    make_user, media_for, run_commit_hooks
) -> None:
    """The other side of the test above: mentions do notify, so its silence means something."""
    ana, bea = make_user("ana"), make_user("bea")
    [photo] = media_for(ana, 1)
    run_commit_hooks(
        lambda: services.post_create(author=ana, media_ids=[photo.pk], caption="hi @bea")
    )
    assert Notification.objects.filter(recipient=bea, kind="mention").exists()
