"""Publishing: items in order with their alt texts and tags, caption links, places; refusals
write nothing."""

from __future__ import annotations

import pytest

from glimpse.core.errors import Conflict, InvalidInput, NotFound
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.posts import services
from glimpse.posts.models import Hashtag, PeopleTag, Place, Post
from glimpse.posts.services import ItemSpec, PeopleTagSpec, PlaceSpec
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db


def test_a_carousel_keeps_the_given_order_alt_texts_and_tags(make_user, media_for) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    photos = media_for(ana, 2)
    clip = media_for(ana, video=True)[0]
    order = [photos[1].pk, clip.pk, photos[0].pk]
    post = services.post_create(
        author=ana,
        media_ids=order,
        items=[
            ItemSpec(alt_text="A red wall", people_tags=[PeopleTagSpec("bea", 0.25, 0.5)]),
            ItemSpec(),
            ItemSpec(
                alt_text="", people_tags=[PeopleTagSpec("@Cal", 1, 0), PeopleTagSpec("ana", 0, 1)]
            ),
        ],
    )
    items = list(post.items.order_by("position"))
    assert [i.media_id for i in items] == order
    assert [i.media.kind for i in items] == ["photo", "video", "photo"]
    assert [i.alt_text for i in items] == ["A red wall", "upload", ""]  # none given: the media's
    tags = {(t.item.media_id, t.account.username, t.x, t.y) for t in PeopleTag.objects.all()}
    assert tags == {
        (order[0], "bea", 0.25, 0.5),
        (order[2], "cal", 1.0, 0.0),
        (order[2], "ana", 0.0, 1.0),
    }
    assert MediaItem.objects.filter(pk__in=order, attached_at__isnull=False).count() == 3
    ana.refresh_from_db()
    assert ana.post_count == 1
    assert {bea.username, cal.username} == {"bea", "cal"}


def test_caption_hashtags_and_existing_mentions_are_linked(make_user, publish) -> None:
    ana = make_user("ana")
    make_user("bea")
    post = publish(ana, caption="Morning #Sunrise with @bea and @nobody #sunrise #café")
    assert [link.hashtag.name for link in post.post_hashtags.order_by("position")] == [
        "sunrise",
        "café",
    ]
    assert [m.account.username for m in post.mentions.all()] == ["bea"]
    assert Hashtag.objects.get(name="sunrise").post_count == 1
    publish(ana, caption="#SUNRISE again")
    assert Hashtag.objects.get(name="sunrise").post_count == 2


def test_a_place_is_created_on_first_use_and_reused(make_user, publish) -> None:
    ana = make_user("ana")
    spec = PlaceSpec(name="Café  Lumière", address="1 Rue X, Paris", lat=48.85, lng=2.35)
    first = publish(ana, place=spec)
    second = publish(
        ana, place=PlaceSpec(name="café lumière", address="1 rue x, paris", lat=48.85001, lng=2.35)
    )
    third = publish(ana, place=first.place_id)
    assert first.place_id == second.place_id == third.place_id
    place = Place.objects.get()
    assert (place.name, place.post_count) == ("Café Lumière", 3)
    other = publish(ana, place=PlaceSpec(name="Café Lumière", address="Lyon"))
    assert other.place_id != first.place_id


def test_settings_are_kept(make_user, publish) -> None:
    post = publish(make_user("ana"), comments_enabled=False, hide_like_count=True)
    assert (post.comments_enabled, post.hide_like_count) == (False, True)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"caption": "x" * 2201}, "caption"),
        ({"caption": " ".join(f"#tag{n}" for n in range(31))}, "caption"),
        ({"caption": " ".join(f"@user{n}" for n in range(21))}, "caption"),
        ({"caption": "#" + "a" * 101}, "caption"),
        ({"items": [ItemSpec(alt_text="a" * 1501)]}, "items.0.alt_text"),
        ({"items": [ItemSpec(), ItemSpec()]}, "items"),
        (
            {"items": [ItemSpec(people_tags=[PeopleTagSpec("bea", 1.5, 0)])]},
            "items.0.people_tags.0.x",
        ),
        (
            {"items": [ItemSpec(people_tags=[PeopleTagSpec("bea", 0, float("nan"))])]},
            "items.0.people_tags.0.y",
        ),
        (
            {"items": [ItemSpec(people_tags=[PeopleTagSpec("ghost", 0, 0)])]},
            "items.0.people_tags.0.username",
        ),
        (
            {"items": [ItemSpec(people_tags=[PeopleTagSpec("bea", 0, 0)] * 2)]},
            "items.0.people_tags.1.username",
        ),
        ({"place": PlaceSpec(name=" ")}, "place.name"),
        ({"place": PlaceSpec(name="X", lat=91, lng=0)}, "place.lat"),
        ({"place": PlaceSpec(name="X", lat=10)}, "place"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_writes_nothing(
    make_user, media_for, options, field
) -> None:
    ana = make_user("ana")
    make_user("bea")
    media = media_for(ana)
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        services.post_create(author=ana, media_ids=[media[0].pk], **options)
    assert field in caught.value.fields
    assert snapshot() == before


def test_more_than_twenty_people_on_an_item_is_refused(make_user, media_for) -> None:
    ana = make_user("ana")
    people = [make_user(f"p{n}") for n in range(21)]
    media = media_for(ana)
    tags = [PeopleTagSpec(p.username, 0.5, 0.5) for p in people]
    with pytest.raises(InvalidInput) as caught:
        services.post_create(
            author=ana, media_ids=[media[0].pk], items=[ItemSpec(people_tags=tags)]
        )
    assert "items.0.people_tags" in caught.value.fields
    assert not PeopleTag.objects.exists()
    assert not Post.objects.exists()


def test_twenty_items_is_the_limit(make_user, media_for) -> None:
    ana = make_user("ana")
    media = media_for(ana, 21)
    with pytest.raises(InvalidInput) as caught:
        services.post_create(author=ana, media_ids=[m.pk for m in media])
    assert "media_ids" in caught.value.fields
    assert not Post.objects.exists()
    post = services.post_create(author=ana, media_ids=[m.pk for m in media[:20]])
    assert post.items.count() == 20


def test_no_items_or_repeated_items_are_refused(make_user, media_for) -> None:
    ana = make_user("ana")
    media = media_for(ana)
    for ids in ([], [media[0].pk, media[0].pk]):
        with pytest.raises(InvalidInput):
            services.post_create(author=ana, media_ids=ids)
    assert not Post.objects.exists()


def test_unknown_or_others_media_is_not_found_and_nothing_is_attached(make_user, media_for) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    mine, theirs = media_for(ana)[0], media_for(bea)[0]
    for ids in ([mine.pk, 12345], [mine.pk, theirs.pk]):
        with pytest.raises(NotFound):
            services.post_create(author=ana, media_ids=ids, caption="#never")
    assert not Post.objects.exists()
    assert not Hashtag.objects.exists()
    assert not MediaItem.objects.filter(attached_at__isnull=False).exists()
    ana.refresh_from_db()
    assert ana.post_count == 0


def test_media_still_processing_is_a_conflict(make_user, media_for) -> None:
    ana = make_user("ana")
    ready, waiting = media_for(ana)[0], media_for(ana, ready=False)[0]
    assert waiting.status == MediaItem.Status.PROCESSING
    with pytest.raises(Conflict) as caught:
        services.post_create(author=ana, media_ids=[ready.pk, waiting.pk])
    assert caught.value.code == "not_ready"
    assert not Post.objects.exists()
    assert not MediaItem.objects.filter(attached_at__isnull=False).exists()


def test_media_already_in_a_post_is_a_conflict(make_user, media_for) -> None:
    ana = make_user("ana")
    first, second = media_for(ana, 2)
    services.post_create(author=ana, media_ids=[first.pk])
    with pytest.raises(Conflict) as caught:
        services.post_create(author=ana, media_ids=[second.pk, first.pk])
    assert caught.value.code == "attached"
    assert Post.objects.count() == 1
    assert MediaItem.objects.get(pk=second.pk).attached_at is None


@pytest.mark.parametrize("direction", ["they_blocked_me", "i_blocked_them"])
def test_tagging_across_a_block_is_refused_like_a_missing_account(
    make_user, media_for, direction
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    if direction == "they_blocked_me":
        graph.block_create(blocker=bea, blocked=ana)
    else:
        graph.block_create(blocker=ana, blocked=bea)
    media = media_for(ana)
    with pytest.raises(InvalidInput) as caught:
        services.post_create(
            author=ana,
            media_ids=[media[0].pk],
            items=[ItemSpec(people_tags=[PeopleTagSpec("bea", 0.5, 0.5)])],
        )
    assert caught.value.fields == {
        "items.0.people_tags.0.username": ["No account with this username."]
    }
    assert not Post.objects.exists()
    assert not PeopleTag.objects.exists()
    assert MediaItem.objects.get(pk=media[0].pk).attached_at is None


def test_mentions_across_a_block_are_not_linked(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    graph.block_create(blocker=bea, blocked=ana)
    post = publish(ana, caption="hi @bea")
    assert not post.mentions.exists()


def test_an_unknown_place_id_is_not_found(make_user, media_for) -> None:
    ana = make_user("ana")
    media = media_for(ana)
    with pytest.raises(NotFound):
        services.post_create(author=ana, media_ids=[media[0].pk], place=999)
    assert not Post.objects.exists()


def test_limits_follow_the_settings(make_user, media_for, settings) -> None:
    settings.GLIMPSE_CAPTION_MAX = 10
    ana = make_user("ana")
    media = media_for(ana)
    with pytest.raises(InvalidInput):
        services.post_create(author=ana, media_ids=[media[0].pk], caption="x" * 11)
    assert settings.GLIMPSE_ALT_TEXT_MAX == 1500
