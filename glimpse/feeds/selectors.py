"""Read home feeds: one page of posts, hydrated with a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from glimpse.accounts.models import User
from glimpse.core.pagination import clamp_limit
from glimpse.feeds.entries import Entry, posts_in_feed, reposts_in_feed
from glimpse.feeds.stores import feed_store
from glimpse.graph.visibility import muted_ids
from glimpse.posts.models import Post
from glimpse.posts.selectors import posts_hydrate


@dataclass(frozen=True)
class FeedItem:
    """A post in a feed, and who reposted it when it came by a repost."""

    entry_id: int
    post: Post
    reposted_by: User | None


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    next_max_id: int | None


def feed_page(*, viewer: User, max_id: int | None = None, limit: int | None = None) -> FeedPage:
    """Return a page of the viewer's home feed, newest first, below ``max_id``.

    Whatever the store returns is checked again against the policy (visibility, follows,
    mutes, archive), so an entry a store still holds never shows once it should not.
    """
    size = clamp_limit(limit)
    muted = muted_ids(viewer)  # read once: the store and the re-check below share it
    candidates = feed_store().entries(viewer, max_id=max_id, count=size + 1, muted=muted)
    more = len(candidates) > size
    candidates = candidates[:size]
    post_ids = [e.id for e in candidates if e.kind == "p"]
    repost_ids = [e.id for e in candidates if e.kind == "r"]
    posts = (
        {p.pk: p for p in posts_in_feed(viewer, muted).filter(pk__in=post_ids)} if post_ids else {}
    )
    reposts = (
        {
            r.pk: r
            for r in reposts_in_feed(viewer, muted)
            .filter(pk__in=repost_ids)
            .select_related("user", "post")
        }
        if repost_ids
        else {}
    )
    items: list[FeedItem] = []
    for entry in candidates:
        if entry.kind == "p" and entry.id in posts:
            items.append(FeedItem(entry.id, posts[entry.id], None))
        elif entry.kind == "r" and entry.id in reposts:
            repost = reposts[entry.id]
            items.append(FeedItem(entry.id, repost.post, repost.user))
    # One post object per id, so that hydration sets everything on the one shown.
    unique = {item.post.pk: item.post for item in items}
    posts_hydrate(viewer=viewer, posts=list(unique.values()))
    items = [FeedItem(i.entry_id, unique[i.post.pk], i.reposted_by) for i in items]
    next_max_id = candidates[-1].id if more and candidates else None
    return FeedPage(items=items, next_max_id=next_max_id)


def feed_new_count(*, viewer: User, since_id: int) -> int:
    """Return how many feed entries are newer than ``since_id`` (at most a page's worth)."""
    entries = feed_store().entries(viewer, max_id=None, count=clamp_limit(None) * 5)
    return sum(1 for entry in entries if entry.id > since_id)


__all__ = ["Entry", "FeedItem", "FeedPage", "feed_new_count", "feed_page"]
