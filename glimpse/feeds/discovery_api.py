"""Explore, trending hashtags and places, and suggested accounts in the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from glimpse.accounts.auth import api_auth, optional_viewer, request_user
from glimpse.accounts.presenters import AccountJson, account_json, account_view_of
from glimpse.core.api import errors, json_response
from glimpse.core.pagination import ItemsJson
from glimpse.feeds import explore, explore_grid, suggestions
from glimpse.feeds.schemas import (
    ExploreOut,
    SuggestedAccountsOut,
    TrendingPlacesOut,
    TrendingTagsOut,
)
from glimpse.insights.services import impressions_record
from glimpse.posts.presenters import (
    HashtagJson,
    PlaceJson,
    hashtag_json,
    place_json,
    place_view,
    post_json,
)

router = Router(tags=["discovery"])


class TrendingTagJson(HashtagJson):
    score: float


class TrendingPlaceJson(PlaceJson):
    score: float


class SuggestedAccountJson(AccountJson):
    mutual_count: int


@router.get("/explore", auth=api_auth, response={200: ExploreOut, **errors(401, 422)})
def explore_posts(
    request: HttpRequest, limit: int | None = None, session: str | None = None
) -> HttpResponse:
    """Explore: posts of public accounts the viewer does not follow, never twice a session."""
    page = explore_grid.explore_page(viewer=request_user(request), session=session, limit=limit)
    post_ids = [post.id for post in page.items]
    impressions_record(viewer=request_user(request), post_ids=post_ids, source="explore")
    items = [post_json(post) for post in page.items]
    return json_response({"items": items, "session": page.session, "has_more": page.has_more})


@router.get("/trending/tags", response={200: TrendingTagsOut, **errors(401)})
def trending_tags(request: HttpRequest) -> ItemsJson[TrendingTagJson]:
    """Hashtags trending over the last 24 hours."""
    tags = explore.trending_tags(viewer=optional_viewer(request))
    return {"items": [{**hashtag_json(t), "score": t.score} for t in tags]}  # type: ignore[attr-defined]


@router.get("/trending/places", response={200: TrendingPlacesOut, **errors(401)})
def trending_places(request: HttpRequest) -> ItemsJson[TrendingPlaceJson]:
    """Places trending over the last 24 hours."""
    places = explore.trending_places(viewer=optional_viewer(request))
    return {"items": [{**place_json(place_view(p)), "score": p.score} for p in places]}  # type: ignore[attr-defined]


@router.get(
    "/accounts/suggested", auth=api_auth, response={200: SuggestedAccountsOut, **errors(401)}
)
def accounts_suggested(request: HttpRequest) -> ItemsJson[SuggestedAccountJson]:
    """Accounts followed by the accounts the viewer follows, most mutual follows first."""
    accounts = suggestions.accounts_suggested(viewer=request_user(request))
    return {
        "items": [
            {**account_json(account_view_of(a)), "mutual_count": a.mutual_count}  # type: ignore[attr-defined]
            for a in accounts
        ]
    }
