"""Read home feeds: one page of entries, checked against the policy, with cached cards.

A warm page (feed in Redis, cards in the cache) costs one SQL query, two when the page holds
reposts, people tags or mentions: the posts' fresh counts and the viewer's own state, checked
against the visibility policy in the same statement, then the accounts the page names. The
home page's cards also want the liker their likes line names and the latest comments: the
same state query reads their ids, and the comments come from their cached cards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from glimpse.accounts.models import User
from glimpse.core.pagination import clamp_limit
from glimpse.core.prepared import PreparedQuery
from glimpse.feeds.entries import Entry
from glimpse.feeds.stores import feed_store
from glimpse.graph.models import Follow
from glimpse.graph.visibility import accounts_visible_to, with_relations
from glimpse.posts.cards import CommentCard, PostCard, comment_cards, post_cards, repost_refs
from glimpse.posts.models import Post
from glimpse.posts.presenters import PostState
from glimpse.posts.selectors import comments_latest, liker_named
from glimpse.posts.shown import OWN_STATE, STATE_FIELDS, card_cut_to, own_state, state_of_row

PREVIEW_COMMENTS = 2  # the latest comments a home feed card shows


@dataclass(frozen=True)
class FeedItem:
    """A post in a feed: its card as this viewer may see it, its state, and who reposted it."""

    entry_id: int
    post_id: int
    reposted_by_id: int | None
    card: PostCard
    state: PostState
    # With ``preview`` only: the latest comments the viewer may see, oldest first (their
    # mentions cut to the accounts it may see), and the liker its likes line names.
    comments: tuple[CommentCard, ...] = ()
    liker_id: int | None = None


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    next_max_id: int | None


def feed_page(
    *, viewer: User, max_id: int | None = None, limit: int | None = None, preview: bool = False
) -> FeedPage:
    """Return a page of the viewer's home feed, newest first, below ``max_id``.

    Half a page more is read than shown, so that entries left out by the checks below rarely
    leave a page short. With ``preview``, each item also holds its latest comments and the
    liker its likes line names (read by the same state query).
    """
    size = clamp_limit(limit)
    window = size + size // 2 + 1
    candidates = feed_store().entries(viewer, max_id=max_id, count=window)
    items = feed_items(viewer, candidates, preview=preview)
    if len(items) > size:
        items = items[:size]
        next_max_id: int | None = items[-1].entry_id
    else:
        next_max_id = candidates[-1].id if len(candidates) == window else None
    return FeedPage(items=items, next_max_id=next_max_id)


def feed_page_above(
    *, viewer: User, above: int, limit: int | None = None, closest: bool = False
) -> FeedPage:
    """Return a page of the viewer's home feed newer than the entry ``above``, newest first:
    the newest entries, or with ``closest`` those just above it (the page that follows it
    going up, as a client catching up asks).

    The store is read from the top (at most the feed's length); only a page and a half of
    entries nearest the chosen end is checked and shown.
    """
    size = clamp_limit(limit)
    window = size + size // 2 + 1
    newer = [
        entry
        for entry in feed_store().entries(viewer, max_id=None, count=settings.GLIMPSE_FEED_MAX)
        if entry.id > above
    ]
    candidates = newer[-window:] if closest else newer[:window]
    items = feed_items(viewer, candidates)
    items = items[-size:] if closest else items[:size]
    return FeedPage(items=items, next_max_id=items[-1].entry_id if items else None)


def feed_items(viewer: User, entries: list[Entry], *, preview: bool = False) -> list[FeedItem]:
    """Return the entries the viewer may see now, in order, each post once per page.

    Whatever a store still holds is checked again against the policy (visibility, follows,
    mutes, archive), so an entry never shows once it should not. With ``preview``, each item
    holds its latest comments and the liker to name too.
    """
    reposts = repost_refs(e.id for e in entries if e.kind == "r")
    wanted = [(e, reposts[e.id].post_id if e.kind == "r" else e.id) for e in entries]
    wanted = [(e, post_id) for e, post_id in wanted if e.kind == "p" or e.id in reposts]
    states = post_states(viewer, {post_id for _, post_id in wanted}, preview=preview)
    cards = post_cards(states)
    comments = comment_cards(pk for row in states.values() for pk in row.comment_ids)
    named = {reposts[e.id].user_id for e, _ in wanted if e.kind == "r"}
    for card in cards.values():
        named.update(card.named_ids)
    for comment in comments.values():
        named.update(comment.mention_ids)
    checks = account_checks(viewer, named)
    items: list[FeedItem] = []
    shown: set[int] = set()
    for entry, post_id in wanted:
        if post_id not in states or post_id not in cards or post_id in shown:
            continue
        row, card = states[post_id], cards[post_id]
        state, author_followed = row.state, row.author_followed
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
        said = [_visible_comment(comments.get(pk), checks) for pk in row.comment_ids]
        items.append(
            FeedItem(
                entry.id,
                post_id,
                reposter,
                card_cut_to(card, checks),
                state,
                comments=tuple(reversed([c for c in said if c is not None])),
                liker_id=row.liker_id,
            )
        )
    return items


class StateRow(NamedTuple):
    """A post's row of the state query: its state, whether its author is followed, and for
    the home page's cards the ids of its latest comments and of the liker to name."""

    state: PostState
    author_followed: bool
    comment_ids: tuple[int, ...] = ()
    liker_id: int | None = None


def _states_query(*, viewer: int, ids: list[int], preview: bool) -> QuerySet[Post, Any]:
    """The state query, built for a viewer's id and the posts' ids (``PreparedQuery``)."""
    account = User(pk=viewer)
    extra: dict[str, Any] = {}
    if preview:
        latest = comments_latest(account, count=PREVIEW_COMMENTS)
        extra = {f"comment_{n}": subquery for n, subquery in enumerate(latest)}
        extra["liker"] = liker_named(account)
    return (
        Post.objects.listed_to(account)
        .unmuted_for(account)
        .filter(pk__in=ids)
        .annotate(
            **own_state(account),
            author_followed=Exists(
                Follow.objects.filter(follower=account, followee=OuterRef("author"))
            ),
            **extra,
        )
        .values_list(*STATE_FIELDS, *OWN_STATE, "author_followed", *extra)
    )


_STATES = {
    preview: PreparedQuery(partial(_states_query, preview=preview), pad_lists=True)
    for preview in (False, True)
}


def post_states(
    viewer: User, post_ids: Iterable[int], *, preview: bool = False
) -> dict[int, StateRow]:
    """Return the state of the posts the viewer may see in a feed, and whether their author is
    followed, in one query.

    Kept: visible to the viewer, not archived, author not muted. Whether the author is
    followed is read in the same query, for the posts that come by a repost. With
    ``preview``, the same query reads the ids of each post's latest comments the viewer may
    see and of the liker its likes line names (correlated subqueries, each walking an index
    of the post's comments or likes newest first). Its SQL is compiled once per page size.
    """
    ids = sorted(set(post_ids))
    if not ids:
        return {}
    found: dict[int, StateRow] = {}
    followed_at = len(STATE_FIELDS) + len(OWN_STATE)
    for row in _STATES[preview].rows(viewer=viewer.pk, ids=ids):
        more = row[followed_at + 1 :]
        found[row[0]] = StateRow(
            state_of_row(row, viewer.pk),
            row[followed_at],
            comment_ids=tuple(c for c in more[:PREVIEW_COMMENTS] if c is not None),
            liker_id=more[PREVIEW_COMMENTS] if more else None,
        )
    return found


@dataclass(frozen=True)
class AccountCheck:
    """How the viewer stands to an account it may see."""

    followed: bool
    muted: bool


def account_checks(viewer: User, ids: Iterable[int]) -> dict[int, AccountCheck]:
    """Return, in one query, the accounts among ``ids`` the viewer may see, with its relation."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = _ACCOUNT_CHECKS.rows(viewer=viewer.pk, ids=wanted)
    return {pk: AccountCheck(followed, muted) for pk, followed, muted in rows}


def _account_checks_query(*, viewer: int, ids: list[int]) -> QuerySet[User, Any]:
    account = User(pk=viewer)
    visible = User.objects.filter(accounts_visible_to(account), pk__in=ids)
    flags = ("following", "muting")
    return with_relations(account, visible, *flags).values_list("pk", *flags)


_ACCOUNT_CHECKS = PreparedQuery(_account_checks_query, pad_lists=True)


def _reposter_shown(viewer: User, reposter: int, checks: dict[int, AccountCheck]) -> bool:
    if reposter == viewer.pk:
        return True
    check = checks.get(reposter)
    return check is not None and check.followed and not check.muted


def _visible_comment(
    comment: CommentCard | None, checks: dict[int, AccountCheck]
) -> CommentCard | None:
    """Return the comment without the mentions of accounts the viewer may not see."""
    if comment is None or all(pk in checks for pk in comment.mention_ids):
        return comment
    return replace(comment, mention_ids=tuple(pk for pk in comment.mention_ids if pk in checks))


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
    "feed_page_above",
]
