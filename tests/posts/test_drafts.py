"""Drafts and scheduled posts: saved with their items, kept past the clean-up of uploads,
edited, deleted with their media, published as any post; refusals write nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from glimpse.core.errors import Conflict, GlimpseError, InvalidInput, NotFound
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.media.services import media_delete, media_delete_unattached
from glimpse.posts import services
from glimpse.posts.models import Draft, DraftItem, PeopleTag, Post
from glimpse.posts.services import ItemSpec, PeopleTagSpec, PlaceSpec
from tests.posts.conftest import follow

pytestmark = pytest.mark.django_db


def soon(minutes: int = 60) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)


def drafts_state() -> dict[str, object]:
    """Return what drafts and their media look like, to compare before and after a refusal."""
    return {
        "drafts": sorted(
            Draft.objects.values_list("pk", "caption", "publish_at", "failure", "kind")
        ),
        "items": sorted(DraftItem.objects.values_list("draft_id", "media_id", "position")),
        "held": sorted(MediaItem.objects.filter(held_at__isnull=False).values_list("pk")),
        "media": MediaItem.objects.count(),
        "posts": Post.objects.count(),
    }


def test_a_draft_keeps_items_in_order_with_alt_texts_tags_place_and_settings(
    make_user, media_for
) -> None:
    ana = make_user("ana")
    make_user("bea")
    photos = media_for(ana, 2)
    draft = services.draft_create(
        author=ana,
        media_ids=[photos[1].pk, photos[0].pk],
        caption="  Draft #one ",
        items=[
            ItemSpec(alt_text="A red wall", people_tags=[PeopleTagSpec("bea", 0.2, 0.3)]),
            ItemSpec(),
        ],
        place=PlaceSpec(name="The Pier"),
        comments_enabled=False,
        hide_like_count=True,
    )
    draft.refresh_from_db()
    assert draft.caption == "Draft #one"
    assert draft.place is not None
    assert draft.place.name == "The Pier"
    assert (draft.comments_enabled, draft.hide_like_count, draft.publish_at) == (False, True, None)
    items = list(draft.items.all())
    assert [(i.media_id, i.alt_text) for i in items] == [
        (photos[1].pk, "A red wall"),
        (photos[0].pk, "upload"),  # none given: the upload's own
    ]
    assert items[0].people_tags == [{"username": "bea", "x": 0.2, "y": 0.3}]
    assert MediaItem.objects.filter(held_at__isnull=False).count() == 2
    assert Post.objects.count() == 0


def test_a_draft_may_have_no_items_yet_but_a_scheduled_post_may_not(make_user) -> None:
    ana = make_user("ana")
    draft = services.draft_create(author=ana, caption="An idea")
    assert draft.items.count() == 0
    with pytest.raises(InvalidInput) as caught:
        services.draft_create(author=ana, caption="Later", publish_at=soon())
    assert "media_ids" in caught.value.fields
    assert Draft.objects.count() == 1


def test_held_media_survive_the_clean_up_of_unposted_uploads(
    make_user, media_for, settings
) -> None:
    ana = make_user("ana")
    held, _loose = media_for(ana, 2)
    services.draft_create(author=ana, media_ids=[held.pk])
    old = timezone.now() - timedelta(hours=settings.GLIMPSE_MEDIA_UNATTACHED_HOURS + 1)
    MediaItem.objects.update(created_at=old)
    assert media_delete_unattached() == 1
    assert list(MediaItem.objects.values_list("pk", flat=True)) == [held.pk]


def test_held_media_cannot_be_deleted_alone(make_user, media_for) -> None:
    ana = make_user("ana")
    [photo] = media_for(ana)
    services.draft_create(author=ana, media_ids=[photo.pk])
    with pytest.raises(Conflict) as caught:
        media_delete(owner=ana, media_id=photo.pk)
    assert caught.value.code == "in_draft"
    assert MediaItem.objects.filter(pk=photo.pk).exists()


def test_deleting_a_draft_deletes_its_media(make_user, media_for) -> None:
    ana = make_user("ana")
    photos = media_for(ana, 2)
    other = media_for(ana)[0]
    draft = services.draft_create(author=ana, media_ids=[p.pk for p in photos])
    services.draft_delete(actor=ana, draft_id=draft.pk)
    assert not Draft.objects.exists()
    assert list(MediaItem.objects.values_list("pk", flat=True)) == [other.pk]


def test_an_item_is_in_one_draft_at_most_and_never_in_a_post(make_user, media_for) -> None:
    ana = make_user("ana")
    [photo] = media_for(ana)
    services.draft_create(author=ana, media_ids=[photo.pk])
    before = drafts_state()
    with pytest.raises(Conflict) as caught:
        services.draft_create(author=ana, media_ids=[photo.pk])
    assert caught.value.code == "in_draft"
    posted = media_for(ana)[0]
    services.post_create(author=ana, media_ids=[posted.pk])
    with pytest.raises(Conflict) as caught:
        services.draft_create(author=ana, media_ids=[posted.pk])
    assert caught.value.code == "attached"
    after = drafts_state()
    assert after["drafts"] == before["drafts"]
    assert after["items"] == before["items"]


def test_another_accounts_media_are_refused(make_user, media_for) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    [photo] = media_for(bea)
    before = drafts_state()
    with pytest.raises(NotFound):
        services.draft_create(author=ana, media_ids=[photo.pk])
    assert drafts_state() == before


def test_the_limit_counts_drafts_and_scheduled_posts_together(
    make_user, media_for, settings
) -> None:
    settings.GLIMPSE_DRAFTS_MAX = 2
    ana = make_user("ana")
    [photo, other] = media_for(ana, 2)
    services.draft_create(author=ana, caption="one")
    services.draft_create(author=ana, media_ids=[photo.pk], publish_at=soon())
    before = drafts_state()
    with pytest.raises(Conflict) as caught:
        services.draft_create(author=ana, media_ids=[other.pk], caption="three")
    assert caught.value.code == "draft_limit"
    assert "at most 2 drafts" in caught.value.message
    assert drafts_state() == before
    # Another account has its own count.
    services.draft_create(author=make_user("bea"), caption="mine")


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (timedelta(minutes=9), "at least 10 minutes ahead"),
        (timedelta(days=75, minutes=1), "at most 75 days ahead"),
        (timedelta(minutes=-5), "at least 10 minutes ahead"),
    ],
)
def test_a_time_outside_the_window_is_refused(make_user, media_for, offset, message) -> None:
    ana = make_user("ana")
    [photo] = media_for(ana)
    with pytest.raises(InvalidInput) as caught:
        services.draft_create(author=ana, media_ids=[photo.pk], publish_at=timezone.now() + offset)
    assert message in caught.value.fields["publish_at"][0]
    assert not Draft.objects.exists()
    assert not MediaItem.objects.filter(held_at__isnull=False).exists()


def test_the_window_edges_are_accepted(make_user, media_for) -> None:
    ana = make_user("ana")
    first, last = media_for(ana, 2)
    services.draft_create(author=ana, media_ids=[first.pk], publish_at=soon(11))
    services.draft_create(
        author=ana, media_ids=[last.pk], publish_at=timezone.now() + timedelta(days=74, hours=23)
    )
    assert Draft.objects.filter(publish_at__isnull=False).count() == 2


def test_a_time_without_an_offset_is_a_400(make_user, media_for) -> None:
    ana = make_user("ana")
    [photo] = media_for(ana)
    naive = datetime.now() + timedelta(hours=2)
    with pytest.raises(GlimpseError) as caught:
        services.draft_create(author=ana, media_ids=[photo.pk], publish_at=naive)
    assert caught.value.status == 400
    assert caught.value.code == "time_zone_missing"
    assert not Draft.objects.exists()


def test_an_unknown_time_zone_is_refused(make_user) -> None:
    ana = make_user("ana")
    for name in ("Mars/Olympus", "../../etc/passwd", ""):
        with pytest.raises(InvalidInput) as caught:
            services.draft_create(author=ana, time_zone=name)
        assert "time_zone" in caught.value.fields
    assert not Draft.objects.exists()


def test_an_update_changes_items_and_releases_those_left_out(make_user, media_for) -> None:
    ana = make_user("ana")
    a, b, c = media_for(ana, 3)
    draft = services.draft_create(
        author=ana, media_ids=[a.pk, b.pk], items=[ItemSpec(alt_text="first"), ItemSpec()]
    )
    services.draft_update(actor=ana, draft_id=draft.pk, media_ids=[c.pk, a.pk], caption="New")
    draft.refresh_from_db()
    assert draft.caption == "New"
    assert [(i.media_id, i.alt_text) for i in draft.items.all()] == [
        (c.pk, "upload"),
        (a.pk, "first"),  # kept: what was said about it stays
    ]
    b.refresh_from_db()
    assert b.held_at is None  # a plain upload again
    assert MediaItem.objects.filter(held_at__isnull=False).count() == 2


def test_reschedule_unschedule_and_a_change_clears_a_failure(make_user, media_for) -> None:
    ana = make_user("ana")
    [photo] = media_for(ana)
    draft = services.draft_create(author=ana, media_ids=[photo.pk], publish_at=soon())
    Draft.objects.filter(pk=draft.pk).update(failure="broken", failed_at=timezone.now())
    later = soon(24 * 60)
    services.draft_update(actor=ana, draft_id=draft.pk, publish_at=later, time_zone="Asia/Tokyo")
    draft.refresh_from_db()
    assert (draft.publish_at, draft.time_zone, draft.failure, draft.failed_at) == (
        later,
        "Asia/Tokyo",
        "",
        None,
    )
    services.draft_update(actor=ana, draft_id=draft.pk, publish_at=None)
    draft.refresh_from_db()
    assert draft.publish_at is None


def test_an_unchanged_time_that_came_meanwhile_does_not_block_an_edit(make_user, media_for) -> None:
    ana = make_user("ana")
    [photo] = media_for(ana)
    draft = services.draft_create(author=ana, media_ids=[photo.pk], publish_at=soon())
    past = timezone.now() - timedelta(minutes=3)
    Draft.objects.filter(pk=draft.pk).update(publish_at=past)
    services.draft_update(actor=ana, draft_id=draft.pk, caption="fixed")
    draft.refresh_from_db()
    assert (draft.caption, draft.publish_at) == ("fixed", past)


def test_publishing_a_draft_makes_a_post_and_removes_the_draft(make_user, media_for) -> None:
    ana = make_user("ana")
    make_user("bea")
    photos = media_for(ana, 2)
    draft = services.draft_create(
        author=ana,
        media_ids=[p.pk for p in photos],
        caption="Out #now",
        items=[ItemSpec(alt_text="one", people_tags=[PeopleTagSpec("bea", 0.5, 0.5)]), ItemSpec()],
        place=PlaceSpec(name="The Pier"),
        hide_like_count=True,
    )
    post = services.draft_publish(actor=ana, draft_id=draft.pk)
    assert not Draft.objects.exists()
    assert not DraftItem.objects.exists()
    assert post.caption == "Out #now"
    assert post.hide_like_count
    assert post.place is not None
    assert post.place.name == "The Pier"
    assert [(i.media_id, i.alt_text) for i in post.items.all()] == [
        (photos[0].pk, "one"),
        (photos[1].pk, "upload"),
    ]
    assert list(PeopleTag.objects.values_list("account__username", flat=True)) == ["bea"]
    assert MediaItem.objects.filter(attached_at__isnull=False, held_at__isnull=True).count() == 2
    ana.refresh_from_db()
    assert ana.post_count == 1


def test_a_refused_publish_keeps_the_draft_as_it_was(make_user, media_for, settings) -> None:
    ana = make_user("ana")
    [photo] = media_for(ana)
    draft = services.draft_create(author=ana, media_ids=[photo.pk], caption="x" * 30)
    settings.GLIMPSE_CAPTION_MAX = 10  # the limit changed since the draft was saved
    before = drafts_state()
    with pytest.raises(InvalidInput):
        services.draft_publish(actor=ana, draft_id=draft.pk)
    assert drafts_state() == before


def test_only_the_author_reaches_a_draft(make_user, media_for) -> None:
    ana = make_user("ana")
    stranger, blocked, follower = make_user("sam"), make_user("bob"), make_user("fay")
    graph.block_create(blocker=ana, blocked=blocked)
    follow(follower, ana)
    [photo] = media_for(ana)
    draft = services.draft_create(author=ana, media_ids=[photo.pk], publish_at=soon())
    before = drafts_state()
    for other in (stranger, blocked, follower):
        with pytest.raises(NotFound):
            services.draft_update(actor=other, draft_id=draft.pk, caption="mine")
        with pytest.raises(NotFound):
            services.draft_publish(actor=other, draft_id=draft.pk)
        with pytest.raises(NotFound):
            services.draft_delete(actor=other, draft_id=draft.pk)
    assert drafts_state() == before


def test_a_time_given_in_another_zone_is_the_same_instant(make_user, media_for) -> None:
    ana = make_user("ana")
    [photo] = media_for(ana)
    local = (timezone.now() + timedelta(days=2)).astimezone(ZoneInfo("Asia/Kolkata"))
    draft = services.draft_create(
        author=ana, media_ids=[photo.pk], publish_at=local, time_zone="Asia/Kolkata"
    )
    draft.refresh_from_db()
    assert draft.publish_at == local.astimezone(UTC)
    assert draft.publish_at.utcoffset() == timedelta(0)
    assert draft.time_zone == "Asia/Kolkata"
