"""Feed entries: what a home feed is made of, and the database queries that find them.

An entry is a post (its id) or a repost (the repost's id, pointing at a post). Ids are
snowflakes, so an entry id orders entries by time whatever their kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q, QuerySet

from glimpse.accounts.models import User
from glimpse.graph.models import Follow
from glimpse.graph.visibility import accounts_visible_to, content_visible_to, muted_ids
from glimpse.posts.models import Post, Repost

Kind = Literal["p", "r"]


@dataclass(frozen=True, order=True)
class Entry:
    """One feed entry: ``id`` is the post's id (kind "p") or the repost's id (kind "r")."""

    id: int
    kind: Kind


def followed_ids(viewer: User) -> QuerySet[Follow, int]:
    """Return (as a subquery) the ids of the accounts the viewer follows (approved follows)."""
    return Follow.objects.filter(follower=viewer).values_list("followee_id", flat=True)


def posts_in_feed(viewer: User, muted: Iterable[int]) -> QuerySet[Post]:
    """Return the posts that belong in the viewer's feed: followed or own, visible, unmuted."""
    return (
        Post.objects.filter(Q(author=viewer) | Q(author_id__in=followed_ids(viewer)))
        .filter(content_visible_to(viewer), is_archived=False)
        .exclude(author_id__in=list(muted))
    )


def reposts_in_feed(viewer: User, muted: Iterable[int]) -> QuerySet[Repost]:
    """Return the reposts that belong in the viewer's feed, of posts the viewer may see."""
    muted = list(muted)
    return (
        Repost.objects.filter(Q(user=viewer) | Q(user_id__in=followed_ids(viewer)))
        .filter(accounts_visible_to(viewer, account="user"))
        .filter(content_visible_to(viewer, author="post__author"), post__is_archived=False)
        .exclude(user_id__in=muted)
        .exclude(post__author_id__in=muted)
    )


def entries_query(
    viewer: User,
    *,
    max_id: int | None,
    count: int,
    authors: list[int] | None = None,
    muted: set[int] | None = None,
) -> list[Entry]:
    """Return up to ``count`` newest feed entries below ``max_id``, from the database.

    ``authors`` narrows to posts and reposts by these accounts (the celebrities merged at
    read time). Two queries, whatever ``count``.
    """
    if muted is None:
        muted = muted_ids(viewer)
    posts = posts_in_feed(viewer, muted)
    reposts = reposts_in_feed(viewer, muted)
    if authors is not None:
        posts = posts.filter(author_id__in=authors)
        reposts = reposts.filter(user_id__in=authors)
    if max_id is not None:
        posts = posts.filter(pk__lt=max_id)
        reposts = reposts.filter(pk__lt=max_id)
    found = [Entry(pk, "p") for pk in posts.order_by("-pk").values_list("pk", flat=True)[:count]]
    found += [Entry(pk, "r") for pk in reposts.order_by("-pk").values_list("pk", flat=True)[:count]]
    return sorted(found, reverse=True)[:count]
