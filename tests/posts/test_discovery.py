"""Hashtag and place pages (top by engagement, then recent) and place search."""

from __future__ import annotations

import pytest

from glimpse.core.errors import InvalidInput, NotFound
from glimpse.posts import selectors, services
from glimpse.posts.services import PlaceSpec

pytestmark = pytest.mark.django_db


def test_hashtag_page_top_by_engagement_then_recent(make_user, publish) -> None:
    ana = make_user("ana")
    fans = [make_user(f"fan{n}") for n in range(3)]
    quiet, liked, discussed = (publish(ana, caption="#Travel") for _ in range(3))
    for fan in fans:
        services.like_create(user=fan, post_id=liked.pk)
    services.comment_create(author=fans[0], post_id=discussed.pk, text="wow")
    services.comment_create(author=fans[1], post_id=discussed.pk, text="wow")
    tag = selectors.hashtag_get(viewer=None, name="#TRAVEL")
    top = selectors.hashtag_top_posts(viewer=None, hashtag=tag)
    assert [p.pk for p in top] == [discussed.pk, liked.pk, quiet.pk]  # 4 > 3 > 0
    recent = selectors.hashtag_recent_posts(viewer=None, hashtag=tag, limit=2)
    assert [p.pk for p in recent.items] == [discussed.pk, liked.pk]
    rest = selectors.hashtag_recent_posts(viewer=None, hashtag=tag, max_id=recent.next_max_id)
    assert [p.pk for p in rest.items] == [quiet.pk]
    assert getattr(tag, "visible_count", None) == 3


def test_every_well_formed_hashtag_answers_and_a_malformed_one_is_missing(
    make_user, publish
) -> None:
    publish(make_user("ana"), caption="#used")
    unused = selectors.hashtag_get(viewer=None, name="#Nothing")
    assert (unused.pk, unused.name, getattr(unused, "visible_count", None)) == (None, "nothing", 0)
    assert selectors.hashtag_top_posts(viewer=None, hashtag=unused) == []
    assert selectors.hashtag_recent_posts(viewer=None, hashtag=unused).items == []
    for name in ("", "#", "123", "a-b", "two words", "#tag#tag", "x" * 101):
        with pytest.raises(NotFound):
            selectors.hashtag_get(viewer=None, name=name)
    assert selectors.hashtag_get(viewer=None, name="x" * 100).name == "x" * 100


def test_place_page_and_the_top_limit(make_user, publish, settings) -> None:
    settings.GLIMPSE_TOP_POSTS = 2
    ana, bea = make_user("ana"), make_user("bea")
    posts = [publish(ana, place=PlaceSpec(name="Pier", lat=1.0, lng=2.0)) for _ in range(3)]
    services.like_create(user=bea, post_id=posts[0].pk)
    place = selectors.place_get(viewer=None, place_id=posts[0].place_id)
    assert getattr(place, "visible_count", None) == 3
    top = selectors.place_top_posts(viewer=None, place=place)
    assert [p.pk for p in top] == [posts[0].pk, posts[2].pk]
    recent = selectors.place_recent_posts(viewer=None, place=place)
    assert [p.pk for p in recent.items] == [posts[2].pk, posts[1].pk, posts[0].pk]
    with pytest.raises(NotFound):
        selectors.place_get(viewer=None, place_id=1)


def test_place_search_by_name_and_by_distance(make_user, publish) -> None:
    ana = make_user("ana")
    # Two cafés about 1.4 km from the centre of Paris, Versailles (17 km), London (340 km),
    # and one with no position.
    publish(ana, place=PlaceSpec(name="Café de Flore", lat=48.8541, lng=2.3326))
    publish(ana, place=PlaceSpec(name="Café de Flore", lat=48.8541, lng=2.3326))
    publish(ana, place=PlaceSpec(name="Le Café Marly", lat=48.8617, lng=2.3355))
    publish(ana, place=PlaceSpec(name="Versailles", lat=48.8049, lng=2.1204))
    publish(ana, place=PlaceSpec(name="Café London", lat=51.5072, lng=-0.1276))
    publish(ana, place=PlaceSpec(name="Café Nowhere"))
    by_name = [p.name for p in selectors.place_search(viewer=None, q="CAFÉ")]
    assert by_name[0] == "Café de Flore"  # used most
    assert set(by_name) == {"Café de Flore", "Le Café Marly", "Café London", "Café Nowhere"}
    near = selectors.place_search(viewer=None, lat=48.8566, lng=2.3522)
    assert [p.name for p in near] == ["Le Café Marly", "Café de Flore", "Versailles"]
    distances = [p.distance_km or 0.0 for p in near]
    assert 1.0 < distances[0] < 2.0
    assert 16 < distances[2] < 19
    assert [
        p.name for p in selectors.place_search(viewer=None, lat=48.8566, lng=2.3522, radius_km=5)
    ] == [
        "Le Café Marly",
        "Café de Flore",
    ]
    assert [
        p.name for p in selectors.place_search(viewer=None, q="versa", lat=48.8566, lng=2.3522)
    ] == ["Versailles"]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "  "},
        {"lat": 10.0},
        {"lat": 91.0, "lng": 0.0},
        {"lat": 0.0, "lng": 181.0},
        {"lat": 0.0, "lng": 0.0, "radius_km": 0},
        {"lat": 0.0, "lng": 0.0, "radius_km": 201},
    ],
)
def test_place_search_needs_a_name_or_a_valid_position(db, query) -> None:
    with pytest.raises(InvalidInput):
        selectors.place_search(viewer=None, **query)
