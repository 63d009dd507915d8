"""Reposts: a public post shared to the sharer's followers, with credit to its author.

A repost reaches the sharer's followers' home feeds by fan-out after commit (feeds
subscribes to ``RepostCreated`` and ``RepostDeleted``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from glimpse.accounts.models import User
from glimpse.core.errors import Conflict
from glimpse.core.event_bus import publish
from glimpse.core.events import RepostCreated, RepostDeleted
from glimpse.posts.models import Post, Repost
from glimpse.posts.services.common import count_add, insert_once, visible_post


def repost_create(*, user: User, post_id: int) -> Post:
    """Repost a public post of another account; reposting it again changes nothing."""
    with transaction.atomic():
        post = visible_post(user, post_id, lock=True)
        if post.author_id == user.pk:
            raise Conflict("You can't repost your own post.", code="own_post")
        if post.author.is_private:
            raise Conflict("Only public posts can be reposted.", code="not_public")
        repost = Repost(post=post, user=user)
        if insert_once(repost):
            Post.objects.filter(pk=post.pk).update(repost_count=F("repost_count") + 1)
            publish(RepostCreated(repost_id=repost.pk, post_id=post.pk, user_id=user.pk))
    post.refresh_from_db(fields=["repost_count"])
    post.viewer_reposted = True
    return post


def repost_delete(*, user: User, post_id: int) -> Post:
    """Take back a repost; nothing to take back is fine."""
    with transaction.atomic():
        post = visible_post(user, post_id, lock=True)
        taken = list(Repost.objects.filter(post=post, user=user).values_list("pk", flat=True))
        deleted, _ = Repost.objects.filter(pk__in=taken).delete()
        for repost_id in taken:
            publish(RepostDeleted(repost_id=repost_id, post_id=post.pk, user_id=user.pk))
        if deleted:
            count_add(Post.objects.filter(pk=post.pk), "repost_count", -1)
    post.refresh_from_db(fields=["repost_count"])
    post.viewer_reposted = False
    return post
