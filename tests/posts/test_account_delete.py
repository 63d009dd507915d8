"""Deleting an account takes its posts and engagement out of every count."""

from __future__ import annotations

import pytest
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.posts import services
from glimpse.posts.models import Comment, Hashtag, Place, Post
from glimpse.posts.services import PlaceSpec

pytestmark = pytest.mark.django_db


def test_others_counts_stay_exact(make_user, publish, run_commit_hooks) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    kept = publish(ana, caption="#shared", place=PlaceSpec(name="Spot"))
    gone = publish(bea, caption="#shared #bea", place=PlaceSpec(name="Spot"))
    services.like_create(user=bea, post_id=kept.pk)
    services.like_create(user=cal, post_id=kept.pk)
    services.save_create(user=bea, post_id=kept.pk)
    services.repost_create(user=bea, post_id=kept.pk)
    thread = services.comment_create(author=bea, post_id=kept.pk, text="bea's thread")
    services.comment_create(author=cal, post_id=kept.pk, text="in it", parent_id=thread.pk)
    other = services.comment_create(author=cal, post_id=kept.pk, text="cal's thread")
    services.comment_create(author=bea, post_id=kept.pk, text="bea's reply", parent_id=other.pk)
    services.comment_like_create(user=bea, comment_id=other.pk)
    services.like_create(user=ana, post_id=gone.pk)

    def delete() -> None:
        with transaction.atomic():
            services.account_posts_delete(user=bea)
            User.objects.filter(pk=bea.pk).delete()

    run_commit_hooks(delete)
    kept.refresh_from_db()
    assert (kept.like_count, kept.save_count, kept.repost_count) == (1, 0, 0)
    assert kept.comment_count == Comment.objects.filter(post=kept).count() == 1
    other.refresh_from_db()
    assert (other.reply_count, other.like_count) == (0, 0)
    assert not Post.objects.filter(pk=gone.pk).exists()
    assert dict(Hashtag.objects.values_list("name", "post_count")) == {"shared": 1, "bea": 0}
    assert Place.objects.get().post_count == 1


def test_deleting_an_account_through_its_service_keeps_others_counts(
    make_user, publish, run_commit_hooks
) -> None:
    from glimpse.privacy.erase import account_delete
    from tests.conftest import PASSWORD

    ana, bea = make_user("ana"), make_user("bea")
    kept = publish(ana, caption="#shared")
    services.like_create(user=bea, post_id=kept.pk)
    services.comment_create(author=bea, post_id=kept.pk, text="nice")
    run_commit_hooks(lambda: account_delete(user=bea, password=PASSWORD))
    kept.refresh_from_db()
    assert (kept.like_count, kept.comment_count) == (0, 0)
    assert not User.objects.filter(pk=bea.pk).exists()
