"""Hashtag pages, place pages and place search in the API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from glimpse.accounts.auth import optional_viewer
from glimpse.core.api import errors
from glimpse.core.event_bus import publish
from glimpse.core.events import PostsShown
from glimpse.core.pagination import PageJson
from glimpse.posts import selectors
from glimpse.posts.presenters import (
    PlaceJson,
    PlacePageJson,
    TagPageJson,
    hashtag_json,
    place_json,
    place_view,
    post_page_json,
    posts_json,
)
from glimpse.posts.schemas import Id, PlaceListOut, PlaceOut, PlacePageOut, TagPageOut

router = Router(tags=["discovery"])

READ = errors(401, 404, 422)


@router.get("/tags/{name}/posts", response={200: TagPageOut, **READ})
def tag_posts(
    request: HttpRequest, name: str, max_id: Id | None = None, limit: int | None = None
) -> TagPageJson:
    """A hashtag page: its top posts by engagement (first page), then the most recent."""
    viewer = optional_viewer(request)
    tag = selectors.hashtag_get(viewer=viewer, name=name)
    top = selectors.hashtag_top_posts(viewer=viewer, hashtag=tag) if max_id is None else []
    page = selectors.hashtag_recent_posts(viewer=viewer, hashtag=tag, max_id=max_id, limit=limit)
    shown = list(dict.fromkeys(post.pk for post in [*top, *page.items]))
    publish(
        PostsShown(viewer_id=viewer.pk if viewer else None, post_ids=tuple(shown), source="hashtag")
    )
    return {
        "tag": hashtag_json(tag),
        "top": posts_json(top),
        **post_page_json(page),
    }


@router.get("/places", response={200: PlaceListOut, **errors(401, 422)})
def place_search(
    request: HttpRequest,
    q: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
    radius_km: float | None = None,
    limit: int | None = None,
) -> PageJson[PlaceJson]:
    """Find places by name (most used first), or near `lat`,`lng` (nearest first), or both."""
    places = selectors.place_search(
        viewer=optional_viewer(request), q=q, lat=lat, lng=lng, radius_km=radius_km, limit=limit
    )
    return {"items": [place_json(place_view(place)) for place in places], "next_max_id": None}


@router.get("/places/{place_id}", response={200: PlaceOut, **READ})
def place_get(request: HttpRequest, place_id: Id) -> PlaceJson:
    """A place, if a post you may see was made there."""
    place = selectors.place_get(viewer=optional_viewer(request), place_id=place_id)
    return place_json(place_view(place))


@router.get("/places/{place_id}/posts", response={200: PlacePageOut, **READ})
def place_posts(
    request: HttpRequest, place_id: Id, max_id: Id | None = None, limit: int | None = None
) -> PlacePageJson:
    """A place page: its top posts by engagement (first page), then the most recent."""
    viewer = optional_viewer(request)
    place = selectors.place_get(viewer=viewer, place_id=place_id)
    top = selectors.place_top_posts(viewer=viewer, place=place) if max_id is None else []
    page = selectors.place_recent_posts(viewer=viewer, place=place, max_id=max_id, limit=limit)
    shown = list(dict.fromkeys(post.pk for post in [*top, *page.items]))
    publish(
        PostsShown(viewer_id=viewer.pk if viewer else None, post_ids=tuple(shown), source="place")
    )
    return {"place": place_json(place_view(place)), "top": posts_json(top), **post_page_json(page)}
