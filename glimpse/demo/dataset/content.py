"""Posts with their media items, captions, hashtags and places."""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from glimpse.demo.dataset.clock import IdClock
from glimpse.demo.dataset.config import Scale
from glimpse.demo.dataset.people import People
from glimpse.demo.dataset.sink import Batches, Progress
from glimpse.media.models import MediaItem
from glimpse.posts.models import Hashtag, Place, Post, PostHashtag, PostItem

WORDS = (
    "travel", "sunset", "photography", "nature", "food", "coffee", "love", "art", "summer", "beach",
    "city", "mountains", "street", "film", "portrait", "night", "dog", "cat", "friends", "weekend",
    "hiking", "ocean", "architecture", "music", "flowers", "garden", "rain", "snow", "autumn",
    "spring", "design", "fashion", "fitness", "running", "bike", "vintage", "books", "home",
    "baking", "family", "morning", "light", "colors", "blue", "green", "gold", "sky", "lake",
    "forest", "desert", "roadtrip", "island", "market", "bridge", "skyline", "neon",
)  # fmt: skip
CAPTIONS = (
    "Golden hour never gets old",
    "A good day to be outside",
    "Found this corner by accident",
    "Weekend mood",
    "Light and shadows",
    "Back where it all started",
    "Slow morning",
    "Can't stop looking at this",
    "",
)
PLACE_KINDS = ("Café", "Park", "Beach", "Market", "Museum", "Bridge", "Viewpoint", "Square")
CITIES = (
    ("Lisbon, Portugal", 38.72, -9.14),
    ("Tokyo, Japan", 35.68, 139.69),
    ("Lagos, Nigeria", 6.52, 3.38),
    ("Berlin, Germany", 52.52, 13.40),
    ("Austin, United States", 30.27, -97.74),
    ("Seoul, South Korea", 37.57, 126.98),
    ("Mexico City, Mexico", 19.43, -99.13),
    ("Sydney, Australia", -33.87, 151.21),
)
POST_FIELDS = (
    "id", "author", "kind", "caption", "place", "comments_enabled", "hide_like_count",
    "is_archived", "like_count", "comment_count", "save_count", "repost_count", "view_count",
    "created_at",
)  # fmt: skip
MEDIA_FIELDS = (
    "id", "owner", "kind", "status", "failure_reason", "storage_key", "upload_name",
    "original_name", "width", "height", "has_audio", "edit", "crop", "alt_text", "camera",
    "show_camera", "blurhash", "dominant_color", "renditions", "version", "rendered_version",
    "attached_at", "created_at", "updated_at",
)  # fmt: skip
ITEM_FIELDS = ("id", "post", "media", "position", "alt_text")
PLACE_FIELDS = (
    "id",
    "name",
    "address",
    "lat",
    "lng",
    "search_name",
    "key",
    "post_count",
    "created_at",
)
LINK_FIELDS = ("id", "post", "hashtag", "position")


@dataclass
class Posts:
    """The planned posts, as compact columns indexed by post number."""

    authors: array[int]
    ids: array[int]
    seconds: array[int]
    places: array[int]  # place number, or -1
    likes: array[int]
    comments: array[int]
    reposts: dict[int, int]  # post number -> reposts
    repost_pairs: list[tuple[int, int]] = field(default_factory=list)  # (post, account)


@dataclass
class Catalog:
    """Hashtags and places with the weights posts pick them by, and their live post counts."""

    hashtag_names: list[str]
    hashtag_cum: list[float]
    hashtag_counts: array[int]
    places: list[tuple[str, str, float, float]]
    place_cum: list[float]
    place_counts: array[int]


def posts_plan(scale: Scale, people: People, clock: IdClock, rng: random.Random) -> Posts:
    """Choose each post's author (active accounts post more), time, place and id."""
    n = scale.accounts
    activity = [rng.lognormvariate(0.0, 1.0) for _ in range(n)]
    planned = []
    for author in rng.choices(range(n), weights=activity, k=scale.posts):
        joined = people.joined_s[author]
        planned.append((joined + int((clock.end_s - joined) * rng.random()), author))
    # In time order, so that ids grow as rows are written and indexes fill at their end.
    planned.sort()
    authors, ids, seconds = array("I"), array("q"), array("q")
    for second, author in planned:
        authors.append(author)
        ids.append(clock.make(second, people.shards[author])[0])
        seconds.append(second)
        people.posts[author] += 1
    zeros = bytes(4 * scale.posts)
    return Posts(
        authors=authors,
        ids=ids,
        seconds=seconds,
        places=array("i", zeros),
        likes=array("I", zeros),
        comments=array("I", zeros),
        reposts={},
    )


def catalog_plan(scale: Scale, rng: random.Random) -> Catalog:
    """Name the hashtags and places, with Zipf-like popularity."""
    names: dict[str, None] = dict.fromkeys(WORDS)
    while len(names) < scale.hashtags:
        first, second = rng.choice(WORDS), rng.choice(WORDS)
        name = first + second if rng.random() < 0.6 else f"{first}{rng.randrange(2000)}"
        names[name] = None
    hashtag_names = list(names)[: scale.hashtags]
    places: dict[str, tuple[str, str, float, float]] = {}
    while len(places) < scale.places:
        address, lat, lng = rng.choice(CITIES)
        name = f"{rng.choice(WORDS).title()} {rng.choice(PLACE_KINDS)}"
        lat, lng = round(lat + rng.uniform(-0.2, 0.2), 4), round(lng + rng.uniform(-0.2, 0.2), 4)
        places.setdefault(place_key(name, address, lat, lng), (name, address, lat, lng))
    return Catalog(
        hashtag_names=hashtag_names,
        hashtag_cum=list(accumulate(1.0 / r**1.1 for r in range(1, scale.hashtags + 1))),
        hashtag_counts=array("I", bytes(4 * scale.hashtags)),
        places=list(places.values()),
        place_cum=list(accumulate(1.0 / r for r in range(1, scale.places + 1))),
        place_counts=array("I", bytes(4 * scale.places)),
    )


def places_pick(scale: Scale, posts: Posts, catalog: Catalog, rng: random.Random) -> None:
    """Give a share of the posts a place, popular places more often, counting them."""
    indexes = range(len(catalog.places))
    for p in range(scale.posts):
        if rng.random() < scale.place_share:
            place = rng.choices(indexes, cum_weights=catalog.place_cum)[0]
            posts.places[p] = place
            catalog.place_counts[place] += 1
        else:
            posts.places[p] = -1


def posts_write(
    *,
    scale: Scale,
    people: People,
    posts: Posts,
    catalog: Catalog,
    pool: list[dict[str, Any]],
    clock: IdClock,
    rng: random.Random,
    batches: Batches,
    fmt: Callable[[int], str],
    progress: Progress,
) -> None:
    """Write every post with its media items, carousel entries and hashtag links."""
    hashtag_ids = _ids_at_start(len(catalog.hashtag_names), clock, rng)
    place_ids = _ids_at_start(len(catalog.places), clock, rng)
    tag_range = range(len(catalog.hashtag_names))
    for p in range(scale.posts):
        author, post_id, second = posts.authors[p], posts.ids[p], posts.seconds[p]
        shard, owner_id = people.shards[author], people.ids[author]
        tags: list[int] = []
        if rng.random() < scale.hashtag_share:
            drawn = rng.choices(tag_range, cum_weights=catalog.hashtag_cum, k=rng.randint(1, 5))
            tags = list(dict.fromkeys(drawn))
        caption = " ".join(
            [rng.choice(CAPTIONS), *("#" + catalog.hashtag_names[t] for t in tags)]
        ).strip()
        place = posts.places[p]
        created = fmt(_ms(post_id))
        batches.add(
            Post,
            POST_FIELDS,
            (
                post_id,
                owner_id,
                Post.Kind.POST.value,
                caption,
                place_ids[place][0] if place >= 0 else None,
                True,
                False,
                False,
                posts.likes[p],
                posts.comments[p],
                0,
                posts.reposts.get(p, 0),
                0,
                created,
            ),
        )
        roll = rng.random()
        for position in range(1 if roll < 0.75 else 2 if roll < 0.9 else 3):
            source = pool[rng.randrange(len(pool))]
            media_id, media_ms = clock.make(second - rng.randint(60, 900), shard)
            batches.add(
                MediaItem,
                MEDIA_FIELDS,
                (
                    media_id,
                    owner_id,
                    source["kind"],
                    "ready",
                    "",
                    f"{rng.getrandbits(128):032x}",  # its own key: it owns no pool file
                    "",
                    source["original_name"],
                    source["width"],
                    source["height"],
                    False,
                    source["edit"],
                    source["crop"],
                    "",
                    "{}",
                    False,
                    source["blurhash"],
                    source["dominant_color"],
                    source["renditions"],
                    1,
                    1,
                    created,
                    fmt(media_ms),
                    created,
                ),
            )
            item_id = clock.make(second, shard)[0]
            batches.add(PostItem, ITEM_FIELDS, (item_id, post_id, media_id, position, ""))
        for position, tag in enumerate(tags):
            link_id = clock.make(second, shard)[0]
            batches.add(PostHashtag, LINK_FIELDS, (link_id, post_id, hashtag_ids[tag][0], position))
            catalog.hashtag_counts[tag] += 1
        progress.add()
    batches.flush()
    for index, name in enumerate(catalog.hashtag_names):
        tag_id, ms = hashtag_ids[index]
        tag_row = (tag_id, name, catalog.hashtag_counts[index], fmt(ms))
        batches.add(Hashtag, ("id", "name", "post_count", "created_at"), tag_row)
    for index, (name, address, lat, lng) in enumerate(catalog.places):
        place_id, ms = place_ids[index]
        key = place_key(name, address, lat, lng)
        row = (place_id, name, address, lat, lng, name.casefold(), key,
               catalog.place_counts[index], fmt(ms))  # fmt: skip
        batches.add(Place, PLACE_FIELDS, row)
    batches.flush()


def place_key(name: str, address: str, lat: float, lng: float) -> str:
    """Return the one-row-per-real-place key the places service would compute."""
    return f"{name.casefold()}|{address.casefold()}|{lat:.4f},{lng:.4f}"


def _ids_at_start(count: int, clock: IdClock, rng: random.Random) -> list[tuple[int, int]]:
    """Make ids for catalogue rows, created in the first days of the window."""
    return [
        clock.make(clock.start_s + rng.randrange(86_400), rng.randrange(8192)) for _ in range(count)
    ]


def _ms(object_id: int) -> int:
    return (object_id >> 23) + 1_767_225_600_000
