"""Posts as a viewer sees them, drawn from their cached cards and one fresh state query.

The read path of a post, a profile grid, a hashtag or a place page: the ids come from the
page's own query, then one statement (compiled once per page size, ``PreparedQuery``)
checks them against the visibility policy and reads their counts and the viewer's own
state; the cards come from the cache, and the accounts they name from account cards, cut
to those the viewer may see (one more statement). No post, item or media row is read on a
warm page.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from glimpse.accounts.models import User
from glimpse.accounts.viewers import viewer_or_none
from glimpse.core.errors import NotFound
from glimpse.core.prepared import PreparedQuery
from glimpse.graph.visibility import visible_account_ids
from glimpse.posts.cards import PostCard, post_cards
from glimpse.posts.models import Like, Post, Repost, Save
from glimpse.posts.presenters import PostState, PostView, post_views
from glimpse.posts.selectors.posts import MISSING_POST

# The columns of a post's state, then the viewer's own: what a state query selects first.
STATE_FIELDS = (
    "pk",
    "author_id",
    "like_count",
    "comment_count",
    "repost_count",
    "view_count",
    "comments_enabled",
    "hide_like_count",
    "is_archived",
    "pinned_at",
)
OWN_STATE = ("liked", "saved", "reposted")


def post_shown(*, viewer: User | None, post_id: int) -> PostView:
    """Return one post as the viewer sees it, or raise NotFound (also when hidden)."""
    found = posts_shown(viewer=viewer, post_ids=[post_id])
    if not found:
        raise NotFound(MISSING_POST)
    return found[0]


def posts_shown(
    *, viewer: User | None, post_ids: Iterable[int], listed: bool = False
) -> list[PostView]:
    """Return the posts among ``post_ids`` the viewer may see, in the order given.

    ``listed`` also leaves out archived posts, as lists do (``Post.objects.listed_to``).
    """
    viewer = viewer_or_none(viewer)
    ids = list(dict.fromkeys(post_ids))
    states = post_states(viewer, ids, listed=listed)
    cards = post_cards(states)
    shown = [pk for pk in ids if pk in states and pk in cards]
    named = {pk for post_id in shown for pk in cards[post_id].named_ids}
    visible = visible_account_ids(viewer, named)
    pairs = [(card_cut_to(cards[pk], visible), states[pk]) for pk in shown]
    return post_views(pairs)[0]


def card_cut_to(card: PostCard, visible: Collection[int]) -> PostCard:
    """Return the card without the people tags and mentions of accounts outside ``visible``
    (the accounts the viewer may see, as a set or the keys of a mapping)."""
    if all(pk in visible for pk in card.named_ids):
        return card
    items = tuple(
        replace(item, people_tags=tuple(t for t in item.people_tags if t.account_id in visible))
        for item in card.items
    )
    mentions = tuple(pk for pk in card.mention_ids if pk in visible)
    return replace(card, items=items, mention_ids=mentions)


def post_states(
    viewer: User | None, post_ids: Iterable[int], *, listed: bool
) -> dict[int, PostState]:
    """Return the state of the posts the viewer may see among ``post_ids``, in one query."""
    ids = sorted(set(post_ids))
    if not ids:
        return {}
    if viewer is None:
        rows = _STATES[listed].rows(ids=ids)
        return {row[0]: state_of_row(row, None) for row in rows}
    rows = _STATES[listed].rows(viewer=viewer.pk, ids=ids)
    return {row[0]: state_of_row(row, viewer.pk) for row in rows}


def own_state(viewer: User) -> dict[str, Exists]:
    """Return the viewer's own state of each post (``OWN_STATE``), as annotations of a query
    of posts."""
    post = OuterRef("pk")
    return {
        "liked": Exists(Like.objects.filter(user=viewer, post=post)),
        "saved": Exists(Save.objects.filter(user=viewer, post=post)),
        "reposted": Exists(Repost.objects.filter(user=viewer, post=post)),
    }


def state_of_row(row: Sequence[Any], viewer_id: int | None) -> PostState:
    """Return the state of a post from a row starting with ``STATE_FIELDS`` and, for a
    signed-in viewer (``viewer_id``), ``OWN_STATE``."""
    (_, author_id, likes, comments, reposts, views, enabled, hide, archived, pinned_at) = row[
        : len(STATE_FIELDS)
    ]
    own = row[len(STATE_FIELDS) : len(STATE_FIELDS) + len(OWN_STATE)]
    liked, saved, reposted = own if viewer_id is not None else (False, False, False)
    return PostState(
        author_id=author_id,
        like_count=likes,
        comment_count=comments,
        repost_count=reposts,
        view_count=views,
        comments_enabled=enabled,
        hide_like_count=hide,
        is_archived=archived,
        is_pinned=pinned_at is not None,
        liked=liked,
        saved=saved,
        reposted=reposted,
        is_author=author_id == viewer_id,
    )


def _states_query(
    *, ids: list[int], listed: bool, viewer: int | None = None
) -> QuerySet[Post, Any]:
    account = None if viewer is None else User(pk=viewer)
    posts = Post.objects.listed_to(account) if listed else Post.objects.visible_to(account)
    posts = posts.filter(pk__in=ids)
    if account is None:
        return posts.values_list(*STATE_FIELDS)
    return posts.annotate(**own_state(account)).values_list(*STATE_FIELDS, *OWN_STATE)


# One prepared query per kind of list; a signed-in viewer and an anonymous one are two shapes.
_STATES = {
    listed: PreparedQuery(partial(_states_query, listed=listed), pad_lists=True)
    for listed in (False, True)
}
