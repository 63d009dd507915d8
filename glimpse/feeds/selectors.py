"""Read home feeds: one page of entries, checked against the policy, with cached cards.

A warm page (feed in Redis, cards in the cache) costs one SQL query, two when the page holds
reposts, people tags or mentions: the posts' fresh counts and the viewer's own state, checked
against the visibility policy in the same statement, then the accounts the page names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef

from glimpse.accounts.models import User
from glimpse.core.pagination import clamp_limit
from glimpse.feeds.entries import Entry
from glimpse.feeds.stores import feed_store
from glimpse.graph.models import Follow
from glimpse.graph.visibility import accounts_visible_to, with_relations
from glimpse.posts.cards import PostCard, post_cards, repost_refs
from glimpse.posts.models import Like, Post, Repost, Save
from glimpse.posts.presenters import PostState


@dataclass(frozen=True)
class FeedItem:
    """A post in a feed: its card as this viewer may see it, its state, and who reposted it."""

    entry_id: int
    post_id: int
    reposted_by_id: int | None
    card: PostCard
    state: PostState


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    next_max_id: int | None


def feed_page(*, viewer: User, max_id: int | None = None, limit: int | None = None) -> FeedPage:
    """Return a page of the viewer's home feed, newest first, below ``max_id``.

    Half a page more is read than shown, so that entries left out by the checks below rarely
    leave a page short.
    """
    size = clamp_limit(limit)
    window = size + size // 2 + 1
    candidates = feed_store().entries(viewer, max_id=max_id, count=window)
    items = feed_items(viewer, candidates)
    if len(items) > size:
        items = items[:size]
        next_max_id: int | None = items[-1].entry_id
    else:
        next_max_id = candidates[-1].id if len(candidates) == window else None
    return FeedPage(items=items, next_max_id=next_max_id)


def feed_items(viewer: User, entries: list[Entry]) -> list[FeedItem]:
    """Return the entries the viewer may see now, in order, each post once per page.

    Whatever a store still holds is checked again against the policy (visibility, follows,
    mutes, archive), so an entry never shows once it should not.
    """
    reposts = repost_refs(e.id for e in entries if e.kind == "r")
    wanted = [(e, reposts[e.id].post_id if e.kind == "r" else e.id) for e in entries]
    wanted = [(e, post_id) for e, post_id in wanted if e.kind == "p" or e.id in reposts]
    states = post_states(viewer, {post_id for _, post_id in wanted})
    cards = post_cards(states)
    named = {reposts[e.id].user_id for e, _ in wanted if e.kind == "r"}
    for card in cards.values():
        named.update(card.named_ids)
    checks = account_checks(viewer, named)
    items: list[FeedItem] = []
    shown: set[int] = set()
    for entry, post_id in wanted:
        if post_id not in states or post_id not in cards or post_id in shown:
            continue
        (state, author_followed), card = states[post_id], cards[post_id]
        reposter = reposts[entry.id].user_id if entry.kind == "r" else None
        author_in_feed = author_followed or state.author_id == viewer.pk
        if reposter is None and not author_in_feed:
            continue
        # A repost of a post the feed holds anyway (its author is followed) is left out.
        if reposter is not None and (
            author_in_feed or not _reposter_shown(viewer, reposter, checks)
        ):
            continue
        shown.add(post_id)
        items.append(FeedItem(entry.id, post_id, reposter, visible_card(card, checks), state))
    return items


def post_states(viewer: User, post_ids: Iterable[int]) -> dict[int, tuple[PostState, bool]]:
    """Return the state of the posts the viewer may see in a feed, and whether their author is
    followed, in one query.

    Kept: visible to the viewer, not archived, author not muted. Whether the author is
    followed is read in the same query, for the posts that come by a repost.
    """
    ids = list(post_ids)
    if not ids:
        return {}
    post = OuterRef("pk")
    rows = (
        Post.objects.listed_to(viewer)
        .unmuted_for(viewer)
        .filter(pk__in=ids)
        .annotate(
            author_followed=Exists(
                Follow.objects.filter(follower=viewer, followee=OuterRef("author"))
            ),
            liked=Exists(Like.objects.filter(user=viewer, post=post)),
            saved=Exists(Save.objects.filter(user=viewer, post=post)),
            reposted=Exists(Repost.objects.filter(user=viewer, post=post)),
        )
        .values_list(
            "pk",
            "author_id",
            "author_followed",
            "like_count",
            "comment_count",
            "repost_count",
            "view_count",
            "comments_enabled",
            "hide_like_count",
            "pinned_at",
            "liked",
            "saved",
            "reposted",
        )
    )
    return {
        pk: (
            PostState(
                author_id=author_id,
                like_count=likes,
                comment_count=comments,
                repost_count=reposts,
                view_count=views,
                comments_enabled=comments_enabled,
                hide_like_count=hide_like_count,
                is_archived=False,
                is_pinned=pinned_at is not None,
                liked=liked,
                saved=saved,
                reposted=reposted,
                is_author=author_id == viewer.pk,
            ),
            followed,
        )
        for (
            pk,
            author_id,
            followed,
            likes,
            comments,
            reposts,
            views,
            comments_enabled,
            hide_like_count,
            pinned_at,
            liked,
            saved,
            reposted,
        ) in rows
    }


@dataclass(frozen=True)
class AccountCheck:
    """How the viewer stands to an account it may see."""

    followed: bool
    muted: bool


def account_checks(viewer: User, ids: Iterable[int]) -> dict[int, AccountCheck]:
    """Return, in one query, the accounts among ``ids`` the viewer may see, with its relation."""
    wanted = set(ids)
    if not wanted:
        return {}
    visible = User.objects.filter(accounts_visible_to(viewer), pk__in=wanted)
    flags = ("following", "muting")
    rows = with_relations(viewer, visible, *flags).values_list("pk", *flags)
    return {pk: AccountCheck(followed, muted) for pk, followed, muted in rows}


def _reposter_shown(viewer: User, reposter: int, checks: dict[int, AccountCheck]) -> bool:
    if reposter == viewer.pk:
        return True
    check = checks.get(reposter)
    return check is not None and check.followed and not check.muted


def visible_card(card: PostCard, checks: dict[int, AccountCheck]) -> PostCard:
    """Return the card without the people tags and mentions of accounts the viewer may not see."""
    if not card.named_ids - checks.keys():
        return card
    items = tuple(
        replace(item, people_tags=tuple(t for t in item.people_tags if t.account_id in checks))
        for item in card.items
    )
    mentions = tuple(pk for pk in card.mention_ids if pk in checks)
    return replace(card, items=items, mention_ids=mentions)


def feed_new_count(*, viewer: User, since_id: int) -> int:
    """Return how many posts the feed shows newer than ``since_id`` (at most 100)."""
    entries = feed_store().entries(viewer, max_id=None, count=clamp_limit(None) * 5)
    return len(feed_items(viewer, [entry for entry in entries if entry.id > since_id]))


__all__ = [
    "Entry",
    "FeedItem",
    "FeedPage",
    "feed_new_count",
    "feed_page",
]
