"""Reposts: a public post shared to the sharer's followers, with credit to its author.

Only the Repost row is kept for now; the home feed that shows it arrives with feeds/.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from glimpse.accounts.models import User
from glimpse.core.errors import Conflict
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
        if insert_once(Repost(post=post, user=user)):
            Post.objects.filter(pk=post.pk).update(repost_count=F("repost_count") + 1)
    post.refresh_from_db(fields=["repost_count"])
    post.viewer_reposted = True
    return post


def repost_delete(*, user: User, post_id: int) -> Post:
    """Take back a repost; nothing to take back is fine."""
    with transaction.atomic():
        post = visible_post(user, post_id, lock=True)
        deleted, _ = Repost.objects.filter(post=post, user=user).delete()
        if deleted:
            count_add(Post.objects.filter(pk=post.pk), "repost_count", -1)
    post.refresh_from_db(fields=["repost_count"])
    post.viewer_reposted = False
    return post
