"""The story archive and the highlight editor on the web: only the owner reaches them, and
highlights are made, edited and deleted there; viewing one follows the visibility policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from glimpse.accounts.services import profile_update
from glimpse.graph import services as graph
from glimpse.stories import services
from glimpse.stories.models import Highlight, HighlightItem, Story
from glimpse.stories.templatetags.stories import story_age
from tests.stories.conftest import api_as, block, follow_approved, snapshot, web_as

pytestmark = pytest.mark.django_db


def expire(story: Story) -> None:
    Story.objects.filter(pk=story.pk).update(
        created_at=story.created_at - timedelta(days=3), expires_at=timezone.now()
    )


def test_the_archive_shows_all_own_stories_to_the_owner_only(make_user, post_story) -> None:
    owner, other = make_user("olive"), make_user("oscar")
    old, live = post_story(owner), post_story(owner)
    expire(old)
    theirs = post_story(other)
    page = web_as(owner).get("/accounts/archive/stories/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/accounts/archive/stories/{old.pk}/" in html
    assert f"/accounts/archive/stories/{live.pk}/" in html
    assert html.index(f"/{live.pk}/") < html.index(f"/{old.pk}/")  # newest first
    assert f"/accounts/archive/stories/{theirs.pk}/" not in html
    # Someone else's archive page is their own: never olive's stories.
    assert f"/{old.pk}/" not in web_as(other).get("/accounts/archive/stories/").content.decode()
    assert web_as(None).get("/accounts/archive/stories/").status_code == 302
    # The same in the API.
    items = api_as(owner).get("stories/mine").json()["items"]
    assert [s["id"] for s in items] == [str(live.pk), str(old.pk)]
    assert api_as(None).get("stories/mine").status_code == 401


def test_an_archived_story_opens_for_its_owner_only(make_user, post_story) -> None:
    owner, fan = make_user("olive"), make_user("fern")
    follow_approved(fan, owner)
    story = post_story(owner)
    expire(story)
    url = f"/accounts/archive/stories/{story.pk}/"
    mine = web_as(owner).get(url)
    assert mine.status_code == 200
    assert f'data-story="{story.pk}"' in mine.content.decode()
    assert web_as(fan).get(url).status_code == 404
    assert web_as(fan).get("/stories/olive/").status_code == 302  # nothing live any more


def test_a_profile_links_its_owner_to_the_archive(make_user) -> None:
    owner, other = make_user("olive"), make_user("oscar")
    assert "/accounts/archive/stories/" in web_as(owner).get("/olive/").content.decode()
    assert "/accounts/archive/stories/" not in web_as(other).get("/olive/").content.decode()


def test_make_a_highlight_from_the_archive(make_user, post_story) -> None:
    owner = make_user("olive")
    first, second, third = post_story(owner), post_story(owner), post_story(owner)
    expire(first)
    client = web_as(owner)
    form = client.get(f"/accounts/highlights/new/?story={second.pk}")
    assert form.status_code == 200
    assert f'value="{second.pk}" checked' in form.content.decode()
    response = client.post(
        "/accounts/highlights/new/",
        {"title": " Trips ", "story": [str(third.pk), str(first.pk)], "cover": str(third.pk)},
    )
    assert response.status_code == 302
    highlight = Highlight.objects.get()
    assert (highlight.title, highlight.cover_id) == ("Trips", third.pk)
    # Played oldest first, whatever the order they were ticked in.
    order = HighlightItem.objects.filter(highlight=highlight).order_by("position")
    assert list(order.values_list("story_id", flat=True)) == [first.pk, third.pk]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "", "story": ["{a}"]}, "Give the highlight a name."),
        ({"title": "x" * 31, "story": ["{a}"]}, "at most 30 characters"),
        ({"title": "Trips"}, "Pick at least one story."),
        ({"title": "Trips", "story": ["{a}"], "cover": "{b}"}, "The cover must be one of"),
        ({"title": "Trips", "story": ["{theirs}"]}, "No story with id"),
    ],
)
def test_a_bad_highlight_form_is_refused_with_nothing_written(
    make_user, post_story, fields, message
) -> None:
    owner, other = make_user("olive"), make_user("oscar")
    ids = {"a": post_story(owner).pk, "b": post_story(owner).pk, "theirs": post_story(other).pk}
    data = {
        key: [v.format(**ids) for v in value] if isinstance(value, list) else value.format(**ids)
        for key, value in fields.items()
    }
    before = snapshot()
    response = web_as(owner).post("/accounts/highlights/new/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert snapshot() == before


def test_edit_a_highlight_rename_cover_add_and_remove(make_user, post_story) -> None:
    owner = make_user("olive")
    a, b, c = post_story(owner), post_story(owner), post_story(owner)
    highlight = services.highlight_create(owner=owner, title="Trips", story_ids=[a.pk, b.pk])
    client = web_as(owner)
    url = f"/accounts/highlights/{highlight.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'value="Trips"' in page
    assert f'value="{a.pk}" checked' in page
    assert f'value="{c.pk}" data' in page
    response = client.post(
        url, {"title": "Summer", "story": [str(b.pk), str(c.pk)], "cover": str(c.pk)}
    )
    assert response.status_code == 302
    highlight.refresh_from_db()
    assert (highlight.title, highlight.cover_id) == ("Summer", c.pk)
    items = HighlightItem.objects.filter(highlight=highlight).order_by("position")
    assert list(items.values_list("story_id", flat=True)) == [b.pk, c.pk]
    before = snapshot()
    refused = client.post(url, {"title": "Summer", "story": []})
    assert refused.status_code == 422
    assert snapshot() == before


def test_delete_a_highlight_after_confirming(make_user, post_story) -> None:
    owner = make_user("olive")
    story = post_story(owner)
    highlight = services.highlight_create(owner=owner, title="Trips", story_ids=[story.pk])
    client = web_as(owner)
    url = f"/accounts/highlights/{highlight.pk}/delete/"
    ask = client.get(url)
    assert ask.status_code == 200
    assert "Delete “Trips”?" in ask.content.decode()
    assert Highlight.objects.exists()  # asking deletes nothing
    assert client.post(url).status_code == 302
    assert not Highlight.objects.exists()
    assert Story.objects.filter(pk=story.pk).exists()  # the story stays in the archive


@pytest.mark.parametrize("kind", ["stranger", "follower", "blocked", "anonymous"])
def test_only_the_owner_edits_or_deletes_a_highlight(make_user, post_story, kind) -> None:
    owner = make_user("olive")
    other = None if kind == "anonymous" else make_user("victor")
    if other is not None and kind in ("follower", "blocked"):
        follow_approved(other, owner)
    if other is not None and kind == "blocked":
        block(owner, other)
    mine = post_story(owner)
    highlight = services.highlight_create(owner=owner, title="Trips", story_ids=[mine.pk])
    client = web_as(other)
    theirs = post_story(other) if other else None
    before = snapshot()
    edit = f"/accounts/highlights/{highlight.pk}/edit/"
    delete = f"/accounts/highlights/{highlight.pk}/delete/"
    expected = 302 if other is None else 404  # anonymous: to the log-in page
    assert client.get(edit).status_code == expected
    assert client.post(edit, {"title": "Mine", "story": [str(mine.pk)]}).status_code == expected
    assert client.get(delete).status_code == expected
    assert client.post(delete).status_code == expected
    if theirs is not None:
        # Nor can one put one's own story into someone else's highlight.
        steal = {"title": "Mine", "story": [str(theirs.pk)]}
        assert client.post(edit, steal).status_code == 404
    assert snapshot() == before
    assert Highlight.objects.get().title == "Trips"


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("owner", 200),
        ("follower", 200),
        ("stranger", 404),
        ("requester", 404),
        ("blocked", 404),
        ("blocker", 404),
        ("anonymous", 404),
    ],
)
def test_viewing_a_private_accounts_highlight_follows_the_policy(
    make_user, post_story, kind, status
) -> None:
    owner = make_user("olive")
    story = post_story(owner)
    highlight = services.highlight_create(owner=owner, title="Trips", story_ids=[story.pk])
    profile_update(user=owner, is_private=True)
    viewer = {"owner": owner, "anonymous": None}.get(kind) or make_user("victor")
    if kind in ("follower", "blocked", "blocker"):
        follow_approved(viewer, owner)
    if kind == "requester":
        graph.follow_create(follower=viewer, followee=owner)
    if kind == "blocked":
        block(owner, viewer)
    if kind == "blocker":
        block(viewer, owner)
    before = snapshot()
    for fragment in (False, True):
        headers = {"X-Story-Viewer": "fragment"} if fragment else {}
        response = web_as(viewer).get(f"/stories/highlights/{highlight.pk}/", headers=headers)
        assert response.status_code == status
        if status == 200:
            body = response.content.decode()
            assert f'data-story="{story.pk}"' in body
            assert ("<html" in body) is not fragment
    assert snapshot() == before


def test_the_viewer_goes_on_to_the_next_account_of_the_tray(make_user, post_story) -> None:
    me, first, second = make_user("mina"), make_user("ann"), make_user("bo")
    follow_approved(me, first)
    follow_approved(me, second)
    post_story(first)
    post_story(second)
    page = web_as(me).get("/stories/bo/", HTTP_X_STORY_VIEWER="fragment").content.decode()
    assert "<html" not in page
    assert 'data-next="/stories/ann/"' in page
    last = web_as(me).get("/stories/ann/", HTTP_X_STORY_VIEWER="fragment").content.decode()
    assert 'data-next=""' in last


@pytest.mark.parametrize(
    ("ago", "short", "long"),
    [
        (timedelta(seconds=20), "just now", "just now"),
        (timedelta(minutes=1), "1 m", "1 minute ago"),
        (timedelta(minutes=5, seconds=40), "5 m", "5 minutes ago"),
        (timedelta(hours=3, minutes=59), "3 h", "3 hours ago"),
        (timedelta(days=2), "2 d", "2 days ago"),
        (timedelta(days=15), "2 w", "2 weeks ago"),
    ],
)
def test_a_story_age_is_short_and_never_zero(ago, short, long) -> None:
    when = timezone.now() - ago
    assert story_age(when) == short
    assert story_age(when, "long") == long
