"""The drafts and scheduled posts pages through Django's client: only their author sees them,
each button does what it says, and anyone else's click changes nothing."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.posts import services
from glimpse.posts.models import Draft, DraftItem, Post
from tests.posts.conftest import follow

pytestmark = pytest.mark.django_db


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def state() -> dict[str, object]:
    return {
        "drafts": sorted(Draft.objects.values_list("pk", "caption", "publish_at", "time_zone")),
        "items": sorted(DraftItem.objects.values_list("draft_id", "media_id")),
        "media": MediaItem.objects.count(),
        "posts": Post.objects.count(),
    }


@pytest.fixture
def ana(make_user):
    return make_user("ana")


@pytest.fixture
def saved(ana, media_for) -> tuple[Draft, Draft]:
    """A draft and a scheduled post of ana's."""
    first, second = media_for(ana, 2)
    draft = services.draft_create(author=ana, media_ids=[first.pk], caption="Still a draft")
    later = timezone.now() + timedelta(days=2)
    scheduled = services.draft_create(
        author=ana,
        media_ids=[second.pk],
        caption="Coming soon",
        publish_at=later,
        time_zone="Asia/Tokyo",
    )
    return draft, scheduled


def test_the_lists_show_the_authors_drafts_and_scheduled_posts(ana, saved) -> None:
    draft, scheduled = saved
    page = browser(ana).get(reverse("posts:drafts")).content.decode()
    assert "Still a draft" in page
    assert "Coming soon" not in page
    assert f"?draft={draft.pk}" in page
    page = browser(ana).get(reverse("posts:scheduled")).content.decode()
    assert "Coming soon" in page
    assert "Still a draft" not in page
    assert scheduled.publish_at is not None
    tokyo = scheduled.publish_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M}" in page  # shown in the zone it was chosen in
    assert "(Asia/Tokyo)" in page


def test_the_profile_links_the_drafts_for_its_owner_only(ana, make_user) -> None:
    profile = reverse("profile", args=["ana"])
    assert reverse("posts:drafts") in browser(ana).get(profile).content.decode()
    assert reverse("posts:drafts") not in browser(make_user("bea")).get(profile).content.decode()


def test_others_see_their_own_empty_lists_and_cannot_act(ana, saved, make_user) -> None:
    draft, scheduled = saved
    stranger, blocked, follower = make_user("sam"), make_user("bob"), make_user("fay")
    graph.block_create(blocker=ana, blocked=blocked)
    follow(follower, ana)
    before = state()
    for other in (stranger, blocked, follower):
        client = browser(other)
        for name in ("posts:drafts", "posts:scheduled"):
            page = client.get(reverse(name)).content.decode()
            assert "Still a draft" not in page
            assert "Coming soon" not in page
        for target in (draft, scheduled):
            assert client.get(reverse("posts:draft_delete", args=[target.pk])).status_code == 404
            for name in ("draft_publish", "draft_unschedule", "draft_delete"):
                url = reverse(f"posts:{name}", args=[target.pk])
                assert client.post(url).status_code == 404
            url = reverse("posts:draft_schedule", args=[target.pk])
            response = client.post(url, {"publish_at": "2031-01-01T10:00", "tz": "UTC"})
            assert response.status_code == 404
    assert state() == before


def test_anonymous_visitors_are_sent_to_log_in(saved) -> None:
    draft, _ = saved
    before = state()
    for url in (reverse("posts:drafts"), reverse("posts:scheduled")):
        assert browser().get(url).status_code == 302
    assert browser().post(reverse("posts:draft_publish", args=[draft.pk])).status_code == 302
    assert state() == before


def test_schedule_a_draft_in_the_browsers_zone(ana, saved) -> None:
    draft, _ = saved
    local = (timezone.now() + timedelta(days=3)).astimezone(ZoneInfo("America/New_York"))
    response = browser(ana).post(
        reverse("posts:draft_schedule", args=[draft.pk]),
        {"publish_at": f"{local:%Y-%m-%dT%H:%M}", "tz": "America/New_York"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("posts:scheduled")
    draft.refresh_from_db()
    assert draft.publish_at == local.replace(second=0, microsecond=0)
    assert draft.time_zone == "America/New_York"


def test_a_schedule_without_a_zone_is_read_in_utc_and_a_bad_time_is_explained(ana, saved) -> None:
    draft, _ = saved
    url = reverse("posts:draft_schedule", args=[draft.pk])
    when = (timezone.now() + timedelta(days=1)).astimezone(ZoneInfo("UTC"))
    browser(ana).post(url, {"publish_at": f"{when:%Y-%m-%dT%H:%M}"})
    draft.refresh_from_db()
    assert draft.publish_at == when.replace(second=0, microsecond=0)
    assert draft.time_zone == "UTC"
    before = state()
    client = browser(ana)
    for fields, words in (
        ({"publish_at": "tomorrow", "tz": "UTC"}, "Pick a date and a time."),
        ({"publish_at": "2020-01-01T10:00", "tz": "UTC"}, "at least 10 minutes ahead"),
        ({"publish_at": f"{when:%Y-%m-%dT%H:%M}", "tz": "Nowhere/Atlantis"}, "time zone"),
    ):
        page = client.post(url, fields, follow=True).content.decode()
        assert words in page
    assert state() == before


def test_publish_now_unschedule_and_delete_after_asking(ana, saved) -> None:
    draft, scheduled = saved
    client = browser(ana)
    response = client.post(reverse("posts:draft_unschedule", args=[scheduled.pk]))
    assert response["Location"] == reverse("posts:drafts")
    scheduled.refresh_from_db()
    assert scheduled.publish_at is None

    response = client.post(reverse("posts:draft_publish", args=[scheduled.pk]))
    [post] = Post.objects.all()
    assert response["Location"] == reverse("posts:detail", args=[post.pk])
    assert post.caption == "Coming soon"

    ask = client.get(reverse("posts:draft_delete", args=[draft.pk]))
    assert "Delete draft?" in ask.content.decode()
    assert Draft.objects.filter(pk=draft.pk).exists()
    response = client.post(reverse("posts:draft_delete", args=[draft.pk]))
    assert response["Location"] == reverse("posts:drafts")
    assert not Draft.objects.exists()
    assert MediaItem.objects.count() == 1  # the published post's


def test_a_refused_publish_keeps_the_draft_and_says_why(ana, saved, settings) -> None:
    draft, _ = saved
    settings.GLIMPSE_CAPTION_MAX = 5
    before = state()
    response = browser(ana).post(
        reverse("posts:draft_publish", args=[draft.pk]),
        {"next": reverse("posts:drafts")},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("posts:drafts"), 302)]
    assert "At most 5 characters" in response.content.decode()
    assert state() == before


def test_a_failed_scheduled_post_shows_its_reason(ana, saved) -> None:
    _, scheduled = saved
    Draft.objects.filter(pk=scheduled.pk).update(
        failure="No media item with id 1.", failed_at=timezone.now()
    )
    page = browser(ana).get(reverse("posts:scheduled")).content.decode()
    assert "Not published: No media item with id 1." in page
