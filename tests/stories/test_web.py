"""The web pages: the tray on the home page, the viewer, highlights, new story, Close Friends."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from glimpse.graph import services as graph
from glimpse.graph.models import CloseFriend
from glimpse.stories import services
from glimpse.stories.models import Story
from tests.stories.conftest import block, follow_approved, snapshot, web_as

pytestmark = pytest.mark.django_db


def test_home_shows_the_tray_with_rings(make_user, post_story) -> None:
    me, fresh, close = make_user("mina"), make_user("fresh"), make_user("close")
    follow_approved(me, fresh)
    follow_approved(me, close)
    post_story(fresh)
    post_story(close, audience="close_friends")
    graph.close_friend_add(owner=close, friend=me)
    page = web_as(me).get("/").content.decode()
    assert 'data-tray-account="fresh"' in page
    assert 'data-tray-account="close"' in page
    assert "story-ring--close" in page
    assert "story-ring--unseen" in page
    assert "/stories/fresh/" in page


def test_viewer_page_starts_at_first_unseen(make_user, post_story) -> None:
    author, fan = make_user("olive"), make_user("fern")
    first, second = post_story(author, caption="one"), post_story(author, caption="two")
    services.story_mark_seen(viewer=fan, story_id=first.pk)
    response = web_as(fan).get("/stories/olive/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-start="1"' in page
    assert page.index(f'data-story="{first.pk}"') < page.index(f'data-story="{second.pk}"')
    assert "data-story-react" in page
    assert "data-story-reply" in page
    own = web_as(author).get("/stories/olive/").content.decode()
    assert "Seen by" in own
    assert "data-story-reply" not in own


def test_viewer_opens_at_the_story_asked_for(make_user, post_story) -> None:
    author, fan = make_user("olive"), make_user("fern")
    first, second = post_story(author, caption="one"), post_story(author, caption="two")
    client = web_as(fan)
    page = client.get(f"/stories/olive/?story={first.pk}").content.decode()
    assert 'data-start="0"' in page
    assert page.index(f'data-story="{first.pk}"') < page.index(f'data-story="{second.pk}"')
    fragment = client.get(f"/stories/olive/?story={second.pk}", HTTP_X_STORY_VIEWER="fragment")
    assert 'data-start="1"' in fragment.content.decode()


def test_a_story_asked_for_that_is_gone_or_hidden_answers_alike(make_user, post_story) -> None:
    author, fan = make_user("olive"), make_user("fern")
    post_story(author)
    expired = post_story(author)
    Story.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    friends_only = post_story(author, audience="close_friends")  # fern is not on the list
    deleted = post_story(author)
    services.story_delete(actor=author, story_id=deleted.pk)
    before = snapshot()
    client = web_as(fan)
    answers = set()
    for asked in (expired.pk, friends_only.pk, deleted.pk, 123, "x", "²", ""):
        page = client.get(f"/stories/olive/?story={asked}")
        assert (page.status_code, page["Location"]) == (302, "/notifications/")
        fragment = client.get(f"/stories/olive/?story={asked}", HTTP_X_STORY_VIEWER="fragment")
        assert fragment.status_code == 404
        # Pages differ only by the CSRF token of the log-out form.
        answers.add(re.sub(r'value="[^"]+"', "", fragment.content.decode()))
    assert len(answers) == 1
    anonymous = web_as(None).get(f"/stories/olive/?story={expired.pk}")
    assert (anonymous.status_code, anonymous["Location"]) == (302, "/")
    assert snapshot() == before


def test_viewer_page_is_404_for_hidden_accounts(make_user, post_story) -> None:
    author, viewer = make_user("olive"), make_user("victor")
    post_story(author)
    block(author, viewer)
    assert web_as(viewer).get("/stories/olive/").status_code == 404
    assert web_as(viewer).get("/stories/nobody/").status_code == 404
    # No live story: back to the home page.
    assert web_as(viewer).get("/stories/victor/").status_code == 302


def test_profile_highlights_row_and_highlight_viewer(make_user, post_story) -> None:
    author, stranger = make_user("olive"), make_user("sam")
    story = post_story(author)
    highlight = services.highlight_create(owner=author, title="Trips", story_ids=[story.pk])
    page = web_as(stranger).get("/olive/").content.decode()
    assert "Trips" in page
    assert f"/stories/highlights/{highlight.pk}/" in page
    response = web_as(stranger).get(f"/stories/highlights/{highlight.pk}/")
    assert response.status_code == 200
    assert f'data-story="{story.pk}"' in response.content.decode()
    block(author, stranger)
    assert "Trips" not in web_as(stranger).get("/olive/").content.decode()
    assert web_as(stranger).get(f"/stories/highlights/{highlight.pk}/").status_code == 404


def test_new_story_page_posts_a_story(make_user, media_for) -> None:
    author = make_user("olive")
    (media,) = media_for(author)
    client = web_as(author)
    page = client.get("/stories/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-story-composer" in html
    assert 'data-media-api="/api/glimpse/v1/media"' in html
    assert 'value="close_friends"' in html
    response = client.post(
        "/stories/new/", {"media_id": media.pk, "audience": "close_friends", "caption": "Hi"}
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert (story.audience, story.caption, story.media_id) == ("close_friends", "Hi", media.pk)
    before = snapshot()
    again = client.post("/stories/new/", {"media_id": media.pk})
    assert again.status_code == 422
    assert "already part" in again.content.decode()
    assert snapshot() == before
    missing = client.post("/stories/new/", {"media_id": "x"})
    assert missing.status_code == 422
    assert "Pick a photo or video." in missing.content.decode()
    assert web_as(None).get("/stories/new/").status_code == 302


def test_close_friends_page(make_user) -> None:
    owner, friend, blocked = make_user("olive"), make_user("fern"), make_user("bart")
    block(blocked, owner)
    client = web_as(owner)
    assert (
        'href="/accounts/settings/close-friends/"'
        in client.get("/accounts/settings/").content.decode()
    )
    assert client.get("/accounts/settings/close-friends/").status_code == 200
    client.post("/accounts/settings/close-friends/", {"username": "fern"})
    assert list(CloseFriend.objects.values_list("friend__username", flat=True)) == ["fern"]
    assert "fern" in client.get("/accounts/settings/close-friends/").content.decode()
    client.post("/accounts/settings/close-friends/", {"username": "bart"})
    assert CloseFriend.objects.count() == 1
    client.post("/accounts/settings/close-friends/", {"username": "fern", "action": "remove"})
    assert not CloseFriend.objects.exists()
    del friend


def test_a_video_story_plays_in_the_viewer(make_user, media_for) -> None:
    author, fan = make_user("olive"), make_user("fern")
    (clip,) = media_for(author, video=True)
    story = services.story_create(author=author, media_id=clip.pk)
    follow_approved(fan, author)
    page = web_as(fan).get("/stories/olive/").content.decode()
    assert f'data-story="{story.pk}"' in page
    assert "<video" in page
    assert 'poster="/media/' in page
