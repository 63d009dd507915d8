"""The notifications page, the badge of the navigation and the preferences form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.graph.models import Follow
from glimpse.notifications import selectors
from glimpse.notifications.models import Notification
from glimpse.posts import services as posts
from glimpse.stories import services as stories
from tests.notifications.conftest import Run, entries

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_grouped_entries_and_a_post_reads_them(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    post = post_by(ana)
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.like_create(user=cy, post_id=post.pk))
    client = logged_in(ana)
    home = client.get("/").content.decode()
    assert "<span data-notifications-count>1</span>" in home
    page = client.get("/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "note is-unread" in html
    assert ">cy</a> and <strong>bo</strong>" in html
    assert "liked your post." in html
    assert f'href="/p/{post.pk}/"' in html
    assert "data-notifications-read" in html
    assert "<script>" not in html  # the page's script is a file (CSP forbids inline ones)
    # Opening the page reads nothing: a GET changes no state.
    assert selectors.unread_count(viewer=ana) == 1
    assert "note is-unread" in client.get("/notifications/").content.decode()

    [entry] = entries(ana)
    answer = client.post(
        "/notifications/read/", {"upto": str(entry.sort_id)}, HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 200
    assert answer.json() == {"count": 0}
    again = client.get("/notifications/").content.decode()
    assert "is-unread" not in again
    assert "data-notifications-badge hidden" in again
    assert "data-notifications-read" not in again


def test_reading_leaves_what_came_after_the_page_unread(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run
) -> None:
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    client = logged_in(ana)
    html = client.get("/notifications/").content.decode()
    [shown] = entries(ana)
    assert f'name="upto" value="{shown.sort_id}"' in html
    post = post_by(ana)
    run(lambda: posts.like_create(user=cy, post_id=post.pk))  # arrives after the page
    answer = client.post("/notifications/read/", {"upto": str(shown.sort_id)})
    assert answer.status_code == 302
    assert [(e.kind, e.is_read) for e in entries(ana)] == [("like", False), ("follow", True)]
    assert selectors.unread_count(viewer=ana) == 1


def test_reading_needs_a_post_with_the_csrf_token_and_good_input(
    ana: User, bo: User, run: Run
) -> None:
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    assert client.get("/notifications/read/").status_code == 405
    assert client.post("/notifications/read/").status_code == 403  # no CSRF token
    assert selectors.unread_count(viewer=ana) == 1
    plain = logged_in(ana)
    for bad in ("abc", "-1", "9" * 30, str(2**63)):
        answer = plain.post("/notifications/read/", {"upto": bad}, HTTP_ACCEPT="application/json")
        assert answer.status_code == 400
        assert answer.json()["error"]["fields"] == {"upto": [answer.json()["error"]["message"]]}
    assert selectors.unread_count(viewer=ana) == 1
    assert Client().post("/notifications/read/").status_code == 302  # to the log-in page
    assert selectors.unread_count(viewer=ana) == 1


def test_follow_requests_link_to_the_requests_page(ana: User, bo: User, run: Run) -> None:
    ana.is_private = True
    ana.save()
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    html = logged_in(ana).get("/notifications/").content.decode()
    assert 'href="/accounts/follow-requests/"' in html
    assert "asked to follow you." in html


def test_a_story_mention_links_to_the_story_while_it_lives(
    ana: User, bo: User, media_for: Callable[..., Any], run: Run
) -> None:
    (media,) = media_for(ana)
    sticker = {"kind": "mention", "x": 0.5, "y": 0.5, "username": "bo"}
    story = run(lambda: stories.story_create(author=ana, media_id=media.pk, stickers=[sticker]))
    client = logged_in(bo)
    html = client.get("/notifications/").content.decode()
    assert 'class="note__name" href="/ana/">ana</a>' in html
    assert "mentioned you in their story." in html
    link = f'href="/stories/ana/?story={story.pk}" data-story-open'
    assert link in html
    opened = client.get(f"/stories/ana/?story={story.pk}")
    assert opened.status_code == 200
    assert f'data-story="{story.pk}"' in opened.content.decode()
    # Once the story is deleted the entry stays, and its link says so instead of failing.
    stories.story_delete(actor=ana, story_id=story.pk)
    assert link in client.get("/notifications/").content.decode()
    gone = client.get(f"/stories/ana/?story={story.pk}", follow=True)
    assert gone.redirect_chain == [("/notifications/", 302)]
    assert "This story is no longer available." in gone.content.decode()


def test_preferences_list_story_mentions(ana: User) -> None:
    client = logged_in(ana)
    html = client.get("/accounts/settings/").content.decode()
    assert "Mentions of you in stories" in html
    assert 'name="story_mention" value="following"' in html
    answer = client.post("/accounts/settings/notifications/", {"story_mention": "following"})
    assert answer.status_code == 302
    assert selectors.preferences_get(user=ana)["story_mention"] == "following"


def test_the_page_needs_a_login() -> None:
    answer = Client().get("/notifications/")
    assert answer.status_code == 302
    assert "/login" in answer["Location"] or "login" in answer["Location"]


def test_preferences_form(ana: User) -> None:
    client = logged_in(ana)
    html = client.get("/accounts/settings/").content.decode()
    assert 'name="like" value="everyone"' in html
    answer = client.post(
        "/accounts/settings/notifications/", {"like": "off", "follow": "following"}
    )
    assert answer.status_code == 302
    prefs = selectors.preferences_get(user=ana)
    assert (prefs["like"], prefs["follow"], prefs["comment"]) == ("off", "following", "everyone")
    bad = client.post("/accounts/settings/notifications/", {"like": "never"}, follow=True)
    assert bad.status_code == 200
    assert "Nothing was changed." in bad.content.decode()
    assert selectors.preferences_get(user=ana)["like"] == "off"
    assert Client().post("/accounts/settings/notifications/", {"like": "on"}).status_code == 302


def test_an_unread_entry_on_an_older_page_is_read_from_the_first(
    ana: User, bo: User, cy: User, post_by: Callable[..., Any], run: Run, monkeypatch: Any
) -> None:
    from glimpse.notifications import services, views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    run(lambda: graph.follow_create(follower=bo, followee=ana))  # older, stays unread
    post = post_by(ana)
    run(lambda: posts.like_create(user=cy, post_id=post.pk))
    like, _follow = entries(ana)
    services.notification_mark_read(recipient=ana, notification_id=like.pk)
    client = logged_in(ana)
    html = client.get("/notifications/").content.decode()
    assert "is-unread" not in html  # the first page shows only the read like
    assert f'name="upto" value="{like.sort_id}"' in html
    assert client.post("/notifications/read/", {"upto": str(like.sort_id)}).status_code == 302
    assert selectors.unread_count(viewer=ana) == 0


def follow_notes(user: User) -> list[Any]:
    return entries(user, kind="follow")


def test_a_new_follower_gets_a_follow_back_button(ana: User, bo: User, run: Run) -> None:
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    client = logged_in(ana)
    html = client.get("/notifications/").content.decode()
    assert "started following you." in html
    assert 'action="/bo/follow/"' in html
    assert 'aria-label="Follow back @bo"' in html
    answer = client.post("/bo/follow/", {"next": "/notifications/"})
    assert answer.status_code == 302
    assert answer["Location"] == "/notifications/"
    assert Follow.objects.filter(follower=ana, followee=bo).exists()
    html = client.get("/notifications/").content.decode()
    assert 'action="/bo/follow/"' not in html
    assert "Following" in html
    assert 'action="/bo/unfollow/"' in html


def test_no_follow_button_for_several_followers_at_once_nor_for_a_blocked_one(
    ana: User, bo: User, cy: User, run: Run
) -> None:
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    run(lambda: graph.follow_create(follower=cy, followee=ana))
    html = logged_in(ana).get("/notifications/").content.decode()
    assert "bo</a> and <strong>cy</strong>" in html or "cy</a> and <strong>bo</strong>" in html
    assert "/follow/" not in html.split('aria-label="Your activity"')[1]


def test_the_page_costs_the_same_queries_with_more_followers_and_likes(
    ana: User, make_user: Callable[..., User], post_by: Callable[..., Any], run: Run
) -> None:
    client = logged_in(ana)

    def new_follower_alone() -> None:
        # Follows group per day: move the last entry to another day, so each stands alone.
        for entry in Notification.objects.filter(recipient=ana, kind="follow"):
            Notification.objects.filter(pk=entry.pk).update(group_key=f"follow:old-{entry.pk}")
        fan = make_user()
        run(lambda: graph.follow_create(follower=fan, followee=ana))

    def queries() -> int:
        client.get("/notifications/")
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/notifications/").content.decode()
        assert html.count('aria-label="Follow back @') == len(follow_notes(ana))
        return len(captured)

    def new_like() -> None:
        post, fan = post_by(ana), make_user()
        run(lambda: posts.like_create(user=fan, post_id=post.pk))

    new_follower_alone()
    new_like()
    few = queries()
    for _ in range(3):
        new_follower_alone()
        new_like()
    assert len(follow_notes(ana)) == 4
    assert queries() == few
