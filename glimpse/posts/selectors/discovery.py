"""Hashtag and place pages: top posts by engagement, then the most recent; place search.

Every well-formed hashtag has a page. What it shows comes from the posts the viewer may see
in lists (``Post.objects.listed_to``: visible and not archived): a tag used only by posts
the viewer may not see answers exactly like a tag never used (no posts, a count of 0, the
same object). A place (found by id) exists for a viewer only while such a post was made
there (``Place.objects.visible_to``); otherwise it answers like an unknown id. Counts
(``visible_count``) count those posts only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Cos, Power, Radians, Sqrt, TruncDate

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.core.pagination import Page, clamp_limit, paginate
from glimpse.posts.models import Hashtag, Place, Post, PostHashtag
from glimpse.posts.selectors.posts import posts_hydrate
from glimpse.posts.text import clean_text, extract_hashtags, hashtag_key
from glimpse.posts.visibility import posts_discoverable_to

EARTH_KM = 6371.0
KM_PER_DEGREE = math.pi * EARTH_KM / 180
MISSING_HASHTAG = "No such hashtag."
MISSING_PLACE = "No place with this id."
# How many of the most used hashtags or places a name matches are checked against the
# viewer's policy in a search (the stored count picks them, one index walk).
SEARCH_CANDIDATES = 100
Counted = TypeVar("Counted", Hashtag, Place)


def hashtag_get(*, viewer: User | None, name: str) -> Hashtag:
    """Return a hashtag by name (any case, with or without `#`) with its ``visible_count``
    (one query), or raise NotFound when the name is not one a caption could make.

    A well-formed name always answers. When no post the viewer may see uses it, the answer
    is a new, unsaved hashtag of that name counted 0, whether a hidden post uses it or none
    ever did, so that nothing tells the two apart.
    """
    key = hashtag_key(name)
    # `extract_hashtags` is what made every stored name: only such a name is a hashtag.
    if extract_hashtags(f"#{key}") != [key] or len(key) > settings.GLIMPSE_HASHTAG_LENGTH_MAX:
        raise NotFound(MISSING_HASHTAG)
    tag = hashtags_counted(viewer=viewer, tags=Hashtag.objects.filter(name=key)).first()
    if tag is None or not getattr(tag, "visible_count", 0):
        tag = Hashtag(name=key)
        tag.visible_count = 0  # type: ignore[attr-defined]
    return tag


def hashtag_top_posts(*, viewer: User | None, hashtag: Hashtag) -> list[Post]:
    """Return the hashtag's most engaging posts the viewer may see, hydrated."""
    if not _has_visible_posts(hashtag):
        return []
    return _top(viewer, _listed(viewer).filter(post_hashtags__hashtag=hashtag))


def hashtag_recent_posts(
    *,
    viewer: User | None,
    hashtag: Hashtag,
    max_id: int | None = None,
    limit: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> Page[Post]:
    """Return the hashtag's posts the viewer may see, newest first, hydrated (``since_id``
    and ``min_id`` as ``paginate`` reads them)."""
    if not _has_visible_posts(hashtag):
        return Page(items=[], next_max_id=None)
    posts = _listed(viewer).filter(post_hashtags__hashtag=hashtag)
    page = paginate(posts, max_id=max_id, limit=limit, since_id=since_id, min_id=min_id)
    return Page(items=posts_hydrate(viewer=viewer, posts=page.items), next_max_id=page.next_max_id)


def hashtags_counted(*, viewer: User | None, tags: QuerySet[Hashtag]) -> QuerySet[Hashtag]:
    """Return the hashtags annotated with ``visible_count``: the live posts the viewer may
    see that use each one (a subquery, no query per tag)."""
    links = _hashtag_uses(viewer).filter(hashtag=OuterRef("pk"))
    return tags.annotate(visible_count=_count_of(links, by="hashtag"))


def hashtags_daily_use(
    *, viewer: User | None, tag_ids: Iterable[int], days: int, today: date
) -> dict[int, dict[date, tuple[int, int]]]:
    """Return, by hashtag and day (UTC), how many posts the viewer may see used it and by how
    many accounts, over the ``days`` days up to ``today`` (one query; days unused are absent).
    """
    since = datetime.combine(today - timedelta(days=days - 1), time.min, tzinfo=UTC)
    rows = (
        PostHashtag.objects.filter(
            posts_discoverable_to(viewer, post="post"),
            hashtag_id__in=list(tag_ids),
            post__created_at__gte=since,
        )
        .annotate(day=TruncDate("post__created_at", tzinfo=UTC))
        .values("hashtag_id", "day")
        .annotate(
            uses=Count("post_id", distinct=True), accounts=Count("post__author_id", distinct=True)
        )
    )
    found: dict[int, dict[date, tuple[int, int]]] = {}
    for row in rows:
        found.setdefault(row["hashtag_id"], {})[row["day"]] = (row["uses"], row["accounts"])
    return found


def place_get(*, viewer: User | None, place_id: int) -> Place:
    """Return a place with its ``visible_count``, or raise NotFound when no post the viewer
    may see was made there (a place first used by a private account stays unknown)."""
    place = places_counted(viewer=viewer, places=Place.objects.filter(pk=place_id)).first()
    if place is None or not getattr(place, "visible_count", 0):
        raise NotFound(MISSING_PLACE)
    return place


def place_top_posts(*, viewer: User | None, place: Place) -> list[Post]:
    """Return the place's most engaging posts the viewer may see, hydrated."""
    return _top(viewer, _listed(viewer).filter(place=place))


def place_recent_posts(
    *, viewer: User | None, place: Place, max_id: int | None = None, limit: int | None = None
) -> Page[Post]:
    """Return the place's posts the viewer may see, newest first, hydrated."""
    return _hydrated_page(viewer, _listed(viewer).filter(place=place), max_id, limit)


def places_counted(*, viewer: User | None, places: QuerySet[Place]) -> QuerySet[Place]:
    """Return the places annotated with ``visible_count``: the live posts the viewer may
    see made at each one (a subquery, no query per place)."""
    posts = _place_posts(viewer).filter(place=OuterRef("pk"))
    return places.annotate(visible_count=_count_of(posts, by="place"))


def most_used(rows: QuerySet[Counted]) -> list[int]:
    """Return the ids of the ``SEARCH_CANDIDATES`` rows used most overall (stored counts).

    A search then checks the viewer's policy on these alone: checked on every hashtag or
    place a name matches, the policy's EXISTS was planned as one hash over every post of
    the network (0.9 s for places, 1.8 s for hashtags, on a million posts).
    """
    picked = rows.filter(post_count__gt=0).order_by("-post_count", "pk")
    return list(picked.values_list("pk", flat=True)[:SEARCH_CANDIDATES])


def with_visible_counts(*, viewer: User | None, items: list[Counted]) -> list[Counted]:
    """Set each hashtag's or place's ``visible_count`` (the live posts the viewer may see
    that use it) in one grouped query; return the items most visible first.

    One query for the whole list, where a counting subquery per row had PostgreSQL scan
    every account once per row (40 ms a hashtag on the large network).
    """
    ids = [item.pk for item in items]
    if not ids:
        return []
    rows: QuerySet[Any]
    if isinstance(items[0], Hashtag):
        rows, by = _hashtag_uses(viewer).filter(hashtag_id__in=ids), "hashtag_id"
    else:
        rows, by = _place_posts(viewer).filter(place_id__in=ids), "place_id"
    counts = dict(rows.order_by().values(by).annotate(n=Count("pk")).values_list(by, "n"))
    for item in items:
        setattr(item, "visible_count", counts.get(item.pk, 0))  # noqa: B010 - a page's own figure
    return by_visible_count(items)


def _hashtag_uses(viewer: User | None) -> QuerySet[PostHashtag]:
    """The uses of hashtags a hashtag's ``visible_count`` counts: by live posts the viewer
    may see."""
    return PostHashtag.objects.filter(posts_discoverable_to(viewer, post="post"))


def _place_posts(viewer: User | None) -> QuerySet[Post]:
    """The posts a place's ``visible_count`` counts: live ones the viewer may see."""
    return Post.objects.listed_to(viewer).discoverable_to(viewer)


def by_visible_count(items: Iterable[Counted]) -> list[Counted]:
    """Return hashtags or places most visible posts first, then by name."""
    return sorted(items, key=lambda item: (-getattr(item, "visible_count", 0), item.name, item.pk))


def place_search(
    *,
    viewer: User | None,
    q: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
    radius_km: float | None = None,
    limit: int | None = None,
) -> list[Place]:
    """Find places the viewer may see by name (most used first) and/or near a position
    (nearest first), each with its ``visible_count``.

    Near a position, each place gets ``distance_km``; places without a position are left out.
    By name, the most used overall are taken, then ordered by what the viewer may see.
    """
    size = clamp_limit(limit)
    name = clean_text(q or "").casefold()
    near = _checked_position(lat, lng, radius_km)
    if not name and near is None:
        raise InvalidInput(fields={"q": ["Give a name to look for, or lat and lng."]})
    if near is None:
        named = Place.objects.filter(
            pk__in=most_used(Place.objects.filter(search_name__contains=name))
        )
        shown = named.visible_to(viewer).order_by("-post_count", "name", "pk")[:size]
        return with_visible_counts(viewer=viewer, items=list(shown))
    places = places_counted(viewer=viewer, places=Place.objects.visible_to(viewer))
    if name:
        places = places.filter(search_name__contains=name)
    here_lat, here_lng, radius = near
    return _nearest(places, here_lat, here_lng, radius, size)


def _has_visible_posts(hashtag: Hashtag) -> bool:
    # The empty answer of `hashtag_get` (unsaved, counted 0) has nothing to read: skipping
    # the reads keeps a hidden tag and an unused one alike down to the queries they make.
    return hashtag.pk is not None and getattr(hashtag, "visible_count", 1) != 0


def _listed(viewer: User | None) -> QuerySet[Post]:
    return Post.objects.listed_to(viewer).discoverable_to(viewer).select_related("author", "place")


def _top(viewer: User | None, posts: QuerySet[Post]) -> list[Post]:
    engagement = (
        F("like_count") + 2 * F("comment_count") + 2 * F("save_count") + 2 * F("repost_count")
    )
    ranked = posts.alias(engagement=engagement).order_by("-engagement", "-pk")
    return posts_hydrate(viewer=viewer, posts=ranked[: settings.GLIMPSE_TOP_POSTS])


def _hydrated_page(
    viewer: User | None, posts: QuerySet[Post], max_id: int | None, size: int | None
) -> Page[Post]:
    page = paginate(posts, max_id=max_id, limit=size)
    return Page(items=posts_hydrate(viewer=viewer, posts=page.items), next_max_id=page.next_max_id)


def _checked_position(
    lat: float | None, lng: float | None, radius_km: float | None
) -> tuple[float, float, float] | None:
    if lat is None and lng is None:
        return None
    problems: dict[str, list[str]] = {}
    if lat is None or lng is None:
        problems["lat"] = ["Give both lat and lng."]
    elif not (math.isfinite(lat) and -90 <= lat <= 90):
        problems["lat"] = ["Latitude is between -90 and 90."]
    elif not (math.isfinite(lng) and -180 <= lng <= 180):
        problems["lng"] = ["Longitude is between -180 and 180."]
    most = settings.GLIMPSE_PLACE_RADIUS_KM_MAX
    radius = float(settings.GLIMPSE_PLACE_RADIUS_KM) if radius_km is None else radius_km
    if not (math.isfinite(radius) and 0 < radius <= most):
        problems["radius_km"] = [f"The radius is more than 0 and at most {most} km."]
    if problems or lat is None or lng is None:
        raise InvalidInput(fields=problems)
    return lat, lng, radius


def _nearest(
    places: QuerySet[Place], lat: float, lng: float, radius: float, size: int
) -> list[Place]:
    """Return the places within ``radius`` km of a position, nearest first, with distances.

    A bounding box on the indexed columns narrows the rows first. The distance is the
    equirectangular approximation: exact enough at a city's scale, and made of functions
    both SQLite (through Django) and PostgreSQL have.
    """
    dlat = radius / KM_PER_DEGREE
    dlng = radius / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    boxed = places.filter(
        lat__gte=lat - dlat, lat__lte=lat + dlat, lng__gte=lng - dlng, lng__lte=lng + dlng
    )
    x = (Radians(F("lng")) - math.radians(lng)) * Cos(Radians((F("lat") + lat) / 2))
    y = Radians(F("lat")) - math.radians(lat)
    distance = Sqrt(Power(x, 2) + Power(y, 2), output_field=FloatField()) * EARTH_KM
    found: list[Place] = list(
        boxed.annotate(distance=distance)
        .filter(distance__lte=radius)
        .order_by("distance", "pk")[:size]
    )
    for place in found:
        place.distance_km = round(getattr(place, "distance", 0.0), 3)
    return found


def _count_of(rows: QuerySet[Any], *, by: str) -> Coalesce:
    """Return a subquery counting ``rows`` of the outer row (0 when there are none)."""
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())
