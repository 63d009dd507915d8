"""The home feed in the API: a page of it, and how many entries are new."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from glimpse.accounts.auth import api_auth, request_user
from glimpse.accounts.cards import account_card_out, account_cards
from glimpse.core.api import errors, json_response
from glimpse.feeds import ranking, selectors
from glimpse.feeds.schemas import FeedOut, NewCountOut
from glimpse.feeds.selectors import FeedItem, named_accounts
from glimpse.insights.services import impressions_record
from glimpse.posts.schemas import Id

router = Router(tags=["feed"])


@router.get("/feed", auth=api_auth, response={200: FeedOut, **errors(401, 422)})
def feed(
    request: HttpRequest,
    max_id: Id | None = None,
    limit: int | None = None,
    order: Literal["chronological", "ranked"] = "chronological",
    cursor: str | None = None,
) -> HttpResponse:
    """The viewer's home feed: posts and reposts of followed accounts and own.

    Newest first by default (pages continue with ``max_id``); ``order=ranked`` re-orders the
    newest few hundred by the score of docs/feeds.md (pages continue with ``cursor``).
    """
    viewer = request_user(request)
    if order == "ranked":
        ranked = ranking.feed_ranked_page(viewer=viewer, cursor=cursor, limit=limit)
        items, next_max_id, next_cursor = ranked.items, None, ranked.next_cursor
    else:
        page = selectors.feed_page(viewer=viewer, max_id=max_id, limit=limit)
        items, next_cursor = page.items, None
        next_max_id = str(page.next_max_id) if page.next_max_id else None
    impressions_record(viewer=viewer, post_ids=[item.post_id for item in items], source="feed")
    body = {
        "items": feed_items_out(items, viewer_id=viewer.pk),
        "next_max_id": next_max_id,
        "next_cursor": next_cursor,
    }
    return json_response(body)


@router.get("/feed/new-count", auth=api_auth, response={200: NewCountOut, **errors(401, 422)})
def feed_new_count(request: HttpRequest, since_id: Id) -> dict:
    """How many entries arrived in the viewer's feed since ``since_id`` (for a banner)."""
    return {"count": selectors.feed_new_count(viewer=request_user(request), since_id=since_id)}


def feed_items_out(items: list[FeedItem], *, viewer_id: int) -> list[dict[str, Any]]:
    """Return feed items as the API shows posts, with the accounts they name from cards."""
    named: set[int] = set()
    for item in items:
        named.add(item.state.author_id)
        if item.reposted_by_id is not None:
            named.add(item.reposted_by_id)
        named.update(named_accounts(item.card))
    accounts = {pk: account_card_out(card) for pk, card in account_cards(named).items()}
    return [_item_out(item, accounts, viewer_id) for item in items]


def _item_out(
    item: FeedItem, accounts: dict[int, dict[str, Any]], viewer_id: int
) -> dict[str, Any]:
    card, state = item.card, item.state
    is_author = state.author_id == viewer_id
    media = [
        {
            **m,
            "people_tags": [
                {"account": accounts[t["account_id"]], "x": t["x"], "y": t["y"]}
                for t in m["people_tags"]
                if t["account_id"] in accounts
            ],
        }
        for m in card["media"]
    ]
    return {
        "id": card["id"],
        "author": accounts[state.author_id],
        "caption": card["caption"],
        "media": media,
        "like_count": None if state.hide_like_count and not is_author else state.like_count,
        "comment_count": state.comment_count,
        "repost_count": state.repost_count,
        "comments_enabled": state.comments_enabled,
        "hide_like_count": state.hide_like_count,
        "viewer": {
            "liked": state.liked,
            "saved": state.saved,
            "reposted": state.reposted,
            "is_author": is_author,
        },
        "place": card["place"],
        "hashtags": card["hashtags"],
        "mentions": [accounts[pk]["username"] for pk in card["mention_ids"] if pk in accounts],
        "created_at": card["created_at"],
        "edited_at": card["edited_at"],
        "is_archived": False,
        "is_pinned": state.is_pinned,
        "permalink": card["permalink"],
        "feed_id": str(item.entry_id),
        "reposted_by": accounts.get(item.reposted_by_id) if item.reposted_by_id else None,
    }
