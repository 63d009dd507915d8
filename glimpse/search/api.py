"""Search in the API: `GET /search?q=&type=accounts|hashtags|places|posts|top`."""

from __future__ import annotations

from typing import Literal, TypedDict, TypeVar

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.params.functions import Query as QueryParam

from glimpse.accounts.auth import optional_viewer
from glimpse.accounts.presenters import AccountJson, account_json, account_view_of
from glimpse.core.api import errors
from glimpse.core.pagination import PageJson, clamp_limit
from glimpse.posts.presenters import (
    HashtagJson,
    PlaceJson,
    PostJson,
    hashtag_json,
    place_json,
    place_view,
    post_json,
)
from glimpse.posts.schemas import AccountCompactOut, PlaceOut, PostOut
from glimpse.search import selectors
from glimpse.search.remote import (
    ACCOUNTS,
    EVERY_KIND,
    POSTS,
    Kind,
    RemoteFound,
    accounts_found_first,
    posts_found_first,
    remote_find,
)

router = Router(tags=["search"])

SearchType = Literal["accounts", "hashtags", "places", "posts", "top"]

T = TypeVar("T")

# What a handle or address may name, by the kind searched.
_FOUND_KINDS: dict[str, frozenset[Kind]] = {"accounts": ACCOUNTS, "posts": POSTS, "top": EVERY_KIND}


class HashtagOut(Schema):
    name: str
    post_count: int


class AccountSearchOut(Schema):
    items: list[AccountCompactOut]
    next_max_id: str | None
    # With `resolve`: why no account of another server was found for a handle or address.
    notice: str | None = None


class HashtagSearchOut(Schema):
    items: list[HashtagOut]
    next_max_id: str | None


class PlaceSearchOut(Schema):
    items: list[PlaceOut]
    next_max_id: str | None


class PostSearchOut(Schema):
    items: list[PostOut]
    next_max_id: str | None
    # With `resolve`: why no post of another server was found for an address.
    notice: str | None = None


class TopSearchOut(Schema):
    accounts: list[AccountCompactOut]
    hashtags: list[HashtagOut]
    places: list[PlaceOut]
    posts: list[PostOut]
    notice: str | None = None


SearchOut = AccountSearchOut | HashtagSearchOut | PlaceSearchOut | PostSearchOut | TopSearchOut


class AccountSearchJson(PageJson[AccountJson]):
    notice: str | None


class PostSearchJson(PageJson[PostJson]):
    notice: str | None


class TopSearchJson(TypedDict):
    accounts: list[AccountJson]
    hashtags: list[HashtagJson]
    places: list[PlaceJson]
    posts: list[PostJson]
    notice: str | None


SearchJson = (
    AccountSearchJson | PageJson[HashtagJson] | PageJson[PlaceJson] | PostSearchJson | TopSearchJson
)


@router.get("/search", response={200: SearchOut, **errors(401, 422)})
def search(
    request: HttpRequest,
    q: str = "",
    type: SearchType = "top",  # the public name of the parameter
    lat: float | None = None,
    lng: float | None = None,
    limit: int | None = None,
    # Named apart: "resolve" would shadow a method of ninja's query model.
    look_up: bool = QueryParam(False, alias="resolve"),
) -> SearchJson:
    """Search accounts, hashtags, places (by name or near `lat`,`lng`) or posts, or all at
    once (`type=top`). In posts, `from:me` keeps only your own posts (a 401 when anonymous).

    With `resolve`, a handle (`@name@host`) or an address of another server's account or
    post is looked up on its server (signed in only, rate limited) and comes first among
    the accounts or posts; `notice` says why when nothing was found. Send it when the
    search is sent, not at each key typed. A post of this site pasted by its address comes
    first with or without `resolve`.
    """
    viewer = optional_viewer(request)
    found = RemoteFound()
    kinds = _FOUND_KINDS.get(type, frozenset())
    if kinds and len(q) <= selectors.QUERY_MAX:
        found = remote_find(viewer=viewer, q=q, kinds=kinds, resolve=look_up)
    if type == "accounts":
        accounts = selectors.search_accounts(viewer=viewer, q=q, limit=limit)
        accounts = accounts_found_first(found, accounts, clamp_limit(limit))
        return {
            **_list([account_json(account_view_of(account)) for account in accounts]),
            "notice": found.notice or None,
        }
    if type == "hashtags":
        tags = selectors.search_hashtags(viewer=viewer, q=q, limit=limit)
        return _list([hashtag_json(tag) for tag in tags])
    if type == "places":
        places = selectors.search_places(viewer=viewer, q=q, lat=lat, lng=lng, limit=limit)
        return _list([place_json(place_view(place)) for place in places])
    if type == "posts":
        posts = selectors.search_posts(viewer=viewer, q=q, limit=limit)
        posts = posts_found_first(found, posts, clamp_limit(limit))
        return {**_list([post_json(post) for post in posts]), "notice": found.notice or None}
    top = selectors.search_top(viewer=viewer, q=q, limit=limit)
    size = min(clamp_limit(limit), selectors.TOP_LIMIT)
    accounts = accounts_found_first(found, top["accounts"], size)
    posts = posts_found_first(found, top["posts"], size)
    return {
        "accounts": [account_json(account_view_of(account)) for account in accounts],
        "hashtags": [hashtag_json(tag) for tag in top["hashtags"]],
        "places": [place_json(place_view(place)) for place in top["places"]],
        "posts": [post_json(post) for post in posts],
        "notice": found.notice or None,
    }


def _list(items: list[T]) -> PageJson[T]:
    # Search answers one page of the best matches: there is no next page to ask for.
    return {"items": items, "next_max_id": None}
