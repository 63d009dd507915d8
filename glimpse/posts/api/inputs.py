"""Turning API payloads into the typed inputs of the post services."""

from __future__ import annotations

from collections.abc import Sequence

from glimpse.core.errors import InvalidInput
from glimpse.posts.schemas import ItemIn, ItemPatch, PlaceIn
from glimpse.posts.services import UNSET, ItemSpec, PeopleTagSpec, PlaceSpec, Unset
from glimpse.posts.services.specs import PlaceInput


def item_spec(item: ItemIn) -> ItemSpec:
    """Return the service spec of one item of a payload."""
    tags = None
    if item.people_tags is not None:
        tags = [PeopleTagSpec(username=t.username, x=t.x, y=t.y) for t in item.people_tags]
    return ItemSpec(alt_text=item.alt_text, people_tags=tags)


def item_specs(items: Sequence[ItemIn] | None) -> list[ItemSpec] | None:
    """Return the service specs of a payload's items, or None when it gives none."""
    return None if items is None else [item_spec(item) for item in items]


def item_edits(items: Sequence[ItemPatch] | None) -> dict[int, ItemSpec] | Unset:
    """Return the item edits of a payload by media id, or UNSET when it gives none."""
    if items is None:
        return UNSET
    edits = {item.media_id: item_spec(item) for item in items}
    if len(edits) != len(items):
        raise InvalidInput(fields={"items": ["Edit each item once."]})
    return edits


def place_input(
    given: dict[str, object], place: PlaceIn | None, place_id: int | None
) -> PlaceInput | Unset:
    """Return the place a payload names: a spec, an id, None to remove it, or UNSET."""
    if "place" in given and "place_id" in given and place is not None and place_id is not None:
        raise InvalidInput(fields={"place": ["Give place or place_id, not both."]})
    if place is not None:
        return PlaceSpec(name=place.name, address=place.address, lat=place.lat, lng=place.lng)
    if place_id is not None:
        return place_id
    if "place" in given or "place_id" in given:
        return None
    return UNSET
