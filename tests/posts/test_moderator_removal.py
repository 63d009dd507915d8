"""Removing posts and comments for the moderators: the same bookkeeping as the author's own
delete (counts, media and files), whoever may still see the content."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from glimpse.accounts.services import account_suspend
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.posts import services
from glimpse.posts.models import Comment, Hashtag, Like, Place, Post
from glimpse.posts.services import PlaceSpec
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db


def test_a_suspended_authors_post_is_removed_with_its_media_and_counts(
    make_user, publish, run_commit_hooks
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana, 2, caption="#tag", place=PlaceSpec(name="Here"))
    services.like_create(user=bea, post_id=post.pk)
    services.comment_create(author=bea, post_id=post.pk, text="nice")
    files = [r["path"] for item in MediaItem.objects.all() for r in item.renditions]
    assert files
    account_suspend(user=ana, until=timezone.now() + timedelta(days=1))  # her delete sees nothing
    removed = run_commit_hooks(lambda: services.post_remove_by_moderator(post_id=post.pk))
    assert removed is True
    assert not Post.objects.exists()
    assert not Like.objects.exists()
    assert not Comment.objects.exists()
    assert not MediaItem.objects.exists()
    assert not any(default_storage.exists(f) for f in files)
    ana.refresh_from_db()
    assert ana.post_count == 0
    assert Hashtag.objects.get(name="tag").post_count == 0
    assert Place.objects.get(name="Here").post_count == 0


def test_an_archived_post_leaves_the_counts_as_they_are(make_user, publish) -> None:
    ana = make_user("ana")
    kept = publish(ana)
    post = publish(ana)
    services.post_archive(actor=ana, post_id=post.pk)
    assert services.post_remove_by_moderator(post_id=post.pk) is True
    ana.refresh_from_db()
    assert ana.post_count == 1  # the archived post was already out of it
    assert list(Post.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_missing_post_changes_nothing(make_user, publish) -> None:
    post = publish(make_user("ana"))
    before = snapshot()
    assert services.post_remove_by_moderator(post_id=post.pk + 1) is False
    assert snapshot() == before


def test_a_comment_the_remover_could_not_see_is_removed_with_its_replies(
    make_user, publish
) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    post = publish(ana)
    comment = services.comment_create(author=bea, post_id=post.pk, text="first")
    services.comment_create(author=cal, post_id=post.pk, text="reply", parent_id=comment.pk)
    kept = services.comment_create(author=cal, post_id=post.pk, text="another")
    graph.block_create(blocker=ana, blocked=bea)  # bea's own delete no longer finds it
    assert services.comment_remove_by_moderator(comment_id=comment.pk) is True
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Post.objects.get(pk=post.pk).comment_count == 1


def test_a_reply_is_removed_from_its_threads_count(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    thread = services.comment_create(author=ana, post_id=post.pk, text="first")
    reply = services.comment_create(author=bea, post_id=post.pk, text="re", parent_id=thread.pk)
    assert services.comment_remove_by_moderator(comment_id=reply.pk) is True
    assert Comment.objects.get(pk=thread.pk).reply_count == 0
    assert Post.objects.get(pk=post.pk).comment_count == 1


def test_a_missing_comment_changes_nothing(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana)
    comment = services.comment_create(author=ana, post_id=post.pk, text="first")
    before = snapshot()
    assert services.comment_remove_by_moderator(comment_id=comment.pk + 1) is False
    assert snapshot() == before
