"""The insights pages: the owner's charts, the 404 of anyone else, and the post page links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import pytest
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.insights import selectors, services
from glimpse.insights.models import FollowEvent, ProfileVisit
from glimpse.posts import services as posts
from glimpse.posts.models import Post
from tests.insights.conftest import Run, api_as, insight_rows, web_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(ana: User, bo: User, publish: Callable[..., Post]) -> Post:
    made = publish(ana, caption="Harbour at dawn #sea")
    services.impressions_record(viewer=bo, post_ids=[made.pk], source="explore")
    services.impressions_flush()
    return made


@pytest.mark.parametrize("days", [7, 30, 90])
def test_the_account_page_draws_charts_for_each_window(ana: User, post: Post, days: int) -> None:
    answer = web_as(ana).get(f"/insights/?days={days}")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.count('<svg class="chart"') == 3  # reach, followers, sources (no hours yet)
    assert f'aria-current="page">{days} days' in html
    assert 'data-stat="impressions">1<' in html
    assert "#sea" in html
    assert '<script src="http' not in html


def test_the_post_page_shows_the_numbers(ana: User, post: Post) -> None:
    html = web_as(ana).get(f"/insights/posts/{post.pk}/").content.decode()
    assert 'data-stat="reach">1<' in html
    assert "Explore" in html


@pytest.mark.parametrize("who", ["stranger", "staff"])
def test_anyone_else_gets_the_404_page(
    who: str, post: Post, make_user: Callable[..., User]
) -> None:
    other = make_user(who, is_staff=who == "staff", is_superuser=who == "staff")
    before = insight_rows()
    assert web_as(other).get(f"/insights/posts/{post.pk}/").status_code == 404
    assert web_as(other).get("/insights/posts/4242/").status_code == 404
    assert insight_rows() == before


def test_visitors_are_sent_to_log_in() -> None:
    answer = web_as(None).get("/insights/")
    assert answer.status_code == 302
    assert "/login" in answer["Location"] or "login" in answer["Location"]


def test_the_post_page_links_insights_and_the_profile_with_a_marker(
    ana: User, bo: User, post: Post
) -> None:
    own = web_as(ana).get(f"/p/{post.pk}/").content.decode()
    theirs = web_as(bo).get(f"/p/{post.pk}/").content.decode()
    assert f'href="/insights/posts/{post.pk}/"' in own
    assert "View insights" not in theirs
    assert f'href="/ana/?from={post.pk}"' in theirs
    assert "insights/share.js" in theirs
    assert 'href="/insights/"' in theirs  # the navigation


def test_a_follow_after_a_visit_from_a_post_is_credited_to_it(
    ana: User, bo: User, cy: User, post: Post, run: Run, publish: Callable[..., Post]
) -> None:
    web_as(bo).get(f"/ana/?from={post.pk}")
    web_as(bo).get(f"/ana/?from={post.pk}")  # once a day
    cys_post = publish(cy)
    web_as(bo).get(f"/ana/?from={cys_post.pk}")  # not a post of this profile
    web_as(ana).get(f"/ana/?from={post.pk}")  # the author herself
    assert list(ProfileVisit.objects.values_list("visitor_id", "post_id")) == [(bo.pk, post.pk)]
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    run(lambda: graph.follow_create(follower=cy, followee=ana))  # no visit
    credited = dict(FollowEvent.objects.values_list("follower_id", "post_id"))
    assert credited == {bo.pk: post.pk, cy.pk: None}


def test_a_visit_too_long_ago_is_not_credited(ana: User, bo: User, post: Post, run: Run) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=2)
    services.profile_visit_record(visitor=bo, post_id=post.pk, profile=ana, at=long_ago)
    run(lambda: graph.follow_create(follower=bo, followee=ana))
    run(lambda: graph.follow_delete(follower=bo, followee=ana))
    events = list(FollowEvent.objects.order_by("id").values_list("kind", "post_id"))
    assert events == [("follow", None), ("unfollow", None)]


def test_the_engagement_rate_never_passes_100_percent(
    ana: User, bo: User, post: Post, run: Run
) -> None:
    # Reached once, bo likes, saves, comments three times and shares twice: seven actions.
    run(lambda: posts.like_create(user=bo, post_id=post.pk))
    run(lambda: posts.save_create(user=bo, post_id=post.pk))
    for text in ("Lovely", "Where is this?", "Again!"):
        run(partial(posts.comment_create, author=bo, post_id=post.pk, text=text))
    for _ in range(2):
        services.share_create(user=bo, post_id=post.pk)
    found = selectors.post_insights(viewer=ana, post_id=post.pk)
    assert (found["reach"], found["likes"], found["comments"]) == (1, 1, 3)
    assert found["engagement_rate"] == 1.0
    html = web_as(ana).get(f"/insights/posts/{post.pk}/").content.decode()
    assert "100.0% <span" in html
    account = selectors.account_insights(viewer=ana, days=7)
    assert [row["engagement_rate"] for row in account["top_posts"]] == [1.0]
    assert account["hashtags"][0]["engagement_rate"] == 1.0
    assert api_as(ana).get(f"insights/post/{post.pk}").json()["engagement_rate"] == 1.0
