"""Feed entries: what a home feed is made of, and the database queries that find them.

An entry is a post (its id) or a repost (the repost's id, pointing at a post). Ids are
snowflakes, so an entry id orders entries by time whatever their kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db.models import QuerySet

from glimpse.accounts.models import User
from glimpse.graph.models import Follow
from glimpse.graph.visibility import accounts_unmuted_for, accounts_visible_to
from glimpse.posts.models import Post, Repost
from glimpse.posts.visibility import posts_held_in_feeds_of

Kind = Literal["p", "r"]


@dataclass(frozen=True, order=True)
class Entry:
    """One feed entry: ``id`` is the post's id (kind "p") or the repost's id (kind "r")."""

    id: int
    kind: Kind


def followed_ids(viewer: User) -> QuerySet[Follow, int]:
    """Return (as a subquery) the ids of the accounts the viewer follows (approved follows)."""
    return Follow.objects.filter(follower=viewer).values_list("followee_id", flat=True)


def feed_authors(viewer: User) -> list[int]:
    """Return whose entries fill the viewer's feed: the viewer, and the accounts it follows,
    may see (the policy's account rule) and has not muted.

    Read first as a list, so that the entry queries walk each author's index.
    """
    followed = (
        User.objects.filter(pk__in=followed_ids(viewer))
        .filter(accounts_visible_to(viewer), accounts_unmuted_for(viewer))
        .values_list("pk", flat=True)
    )
    return [viewer.pk, *followed]


def entries_query(viewer: User, *, max_id: int | None, count: int) -> list[Entry]:
    """Return up to ``count`` newest feed entries below ``max_id``, from the database.

    Followed authors' content is visible to the viewer by the policy's own rule, so the
    authors' list decides for their posts; a repost's post is checked on its own. Three
    queries, whatever ``count``.
    """
    authors = feed_authors(viewer)
    # An imported post (imports) keeps its old date and is no news: never in a feed.
    posts = Post.objects.filter(author_id__in=authors, is_archived=False, imported_at=None)
    reposts = Repost.objects.filter(user_id__in=authors).filter(
        posts_held_in_feeds_of(viewer, post="post")
    )
    if max_id is not None:
        posts = posts.filter(pk__lt=max_id)
        reposts = reposts.filter(pk__lt=max_id)
    return _newest(posts, reposts, count)


def outbox_query(author_id: int, *, count: int) -> list[Entry]:
    """Return an account's own newest live posts and reposts: what it puts in others' feeds.

    Whether each one may be shown is decided when a page is read, for its viewer.
    """
    posts = Post.objects.filter(author_id=author_id, is_archived=False, imported_at=None)
    return _newest(posts, Repost.objects.filter(user_id=author_id), count)


def _newest(posts: QuerySet[Post], reposts: QuerySet[Repost], count: int) -> list[Entry]:
    """Return the ``count`` newest entries among these posts and reposts (two queries)."""
    found = [Entry(pk, "p") for pk in posts.order_by("-pk").values_list("pk", flat=True)[:count]]
    found += [Entry(pk, "r") for pk in reposts.order_by("-pk").values_list("pk", flat=True)[:count]]
    return sorted(found, reverse=True)[:count]
