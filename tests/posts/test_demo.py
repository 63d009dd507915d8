"""The demo data of `make run`: accounts that follow each other, posts, reels, likes, comments."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from glimpse.accounts.models import User
from glimpse.graph.models import Follow
from glimpse.media.models import MediaItem
from glimpse.posts.models import Comment, Like, Post


@pytest.mark.django_db(transaction=True)
def test_seed_demo_creates_a_lived_in_network_once() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Post.objects.count(), Follow.objects.count())
    assert counts[0] == 6  # five people and a moderator
    assert counts[1] == 8 + 3
    reels = Post.objects.filter(kind=Post.Kind.REEL)
    assert reels.count() == 3
    for reel in reels:
        [item] = reel.items.select_related("media")
        assert (item.media.kind, item.media.width, item.media.height) == ("video", 360, 640)
        assert item.media.has_audio
        assert reel.view_count >= 1
    assert counts[2] >= 10
    assert Like.objects.count() >= 8
    assert Comment.objects.count() == 8
    assert set(MediaItem.objects.values_list("status", flat=True)) == {"ready"}
    assert not MediaItem.objects.filter(attached_at__isnull=True).exists()
    for user in User.objects.all():
        assert user.avatar_version
        assert user.post_count == Post.objects.filter(author=user).count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), Post.objects.count(), Follow.objects.count()) == counts
