"""Places: found by what identifies them, or created on first use."""

from __future__ import annotations

import math

from django.conf import settings
from django.db.models import Exists, OuterRef

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.posts.models import Place, Post
from glimpse.posts.services.specs import PlaceInput, PlaceSpec, Problems
from glimpse.posts.text import clean_text


def place_get_or_create(*, spec: PlaceSpec) -> Place:
    """Return the place this spec names, creating it the first time (race-free)."""
    problems = Problems()
    place = place_check(spec, field="place", problems=problems)
    problems.raise_if_any()
    # A concurrent post may create the same place: ignore the conflict, read it back.
    Place.objects.bulk_create([place], ignore_conflicts=True)
    return Place.objects.get(key=place.key)


def place_check(spec: PlaceSpec, *, field: str, problems: Problems) -> Place:
    """Return an unsaved place made from a spec, recording what is wrong with it."""
    # One-line fields: runs of spaces fold into one, so that the same place gets one key.
    name = " ".join(clean_text(spec.name).split())
    address = " ".join(clean_text(spec.address).split())
    if not name:
        problems.add(f"{field}.name", "Give the place a name.")
    elif len(name) > (most := settings.GLIMPSE_PLACE_NAME_MAX):
        problems.add(f"{field}.name", f"A place name has at most {most} characters.")
    if len(address) > (most := settings.GLIMPSE_PLACE_ADDRESS_MAX):
        problems.add(f"{field}.address", f"An address has at most {most} characters.")
    lat, lng = spec.lat, spec.lng
    if (lat is None) != (lng is None):
        problems.add(field, "Give both lat and lng, or neither.")
    if lat is not None and not (math.isfinite(lat) and -90 <= lat <= 90):
        problems.add(f"{field}.lat", "Latitude is between -90 and 90.")
    if lng is not None and not (math.isfinite(lng) and -180 <= lng <= 180):
        problems.add(f"{field}.lng", "Longitude is between -180 and 180.")
    position = "" if lat is None or lng is None else f"{lat:.4f},{lng:.4f}"
    return Place(
        name=name,
        address=address,
        lat=lat,
        lng=lng,
        search_name=name.casefold(),
        key=f"{name.casefold()}|{address.casefold()}|{position}",
    )


def place_resolve(place: PlaceInput, *, actor: User) -> Place | None:
    """Return the place a post names: found or created from a spec, or known by its id.

    By id, only a place the actor may already see is taken (a post of theirs, archived
    ones included, or one they may see uses it): an id must not reveal a private place.
    """
    if place is None:
        return None
    if isinstance(place, PlaceSpec):
        return place_get_or_create(spec=place)
    seen = Post.objects.visible_to(actor).filter(place=OuterRef("pk"))
    found = Place.objects.filter(Exists(seen), pk=place).first()
    if found is None:
        raise NotFound("No place with this id.")
    return found
