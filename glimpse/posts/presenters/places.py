"""A place as the API and the pages show it, alone or inside a post."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from glimpse.posts.cards import PlaceCard, place_card
from glimpse.posts.models import Place


@dataclass(frozen=True)
class PlaceView:
    """A place; its post count (the posts the viewer may see) only on its own page."""

    id: int
    name: str
    address: str
    lat: float | None
    lng: float | None
    post_count: int | None = None
    distance_km: float | None = None


class PlaceJson(TypedDict):
    id: str
    name: str
    address: str
    lat: float | None
    lng: float | None
    post_count: int | None
    distance_km: float | None


def place_view(place: Place) -> PlaceView:
    """Return a place as its page, search and trends show it (with what they counted)."""
    card = place_card(place)
    return PlaceView(
        id=card.id,
        name=card.name,
        address=card.address,
        lat=card.lat,
        lng=card.lng,
        post_count=getattr(place, "visible_count", None),
        distance_km=getattr(place, "distance_km", None),
    )


def place_view_of_card(card: PlaceCard) -> PlaceView:
    """Return the place of a post (no count: that is the place's page's)."""
    return PlaceView(card.id, card.name, card.address, card.lat, card.lng)


def place_json(view: PlaceView) -> PlaceJson:
    """Return a place as the API shows it."""
    return PlaceJson(
        id=str(view.id),
        name=view.name,
        address=view.address,
        lat=view.lat,
        lng=view.lng,
        post_count=view.post_count,
        distance_km=view.distance_km,
    )
