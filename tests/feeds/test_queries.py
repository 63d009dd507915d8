"""The home feed costs the same few queries in the API and on the web page, whatever its size.

Both draw the feed from the same cached cards and one state query (warm: the feed in Redis,
the cards in the cache); neither reads a post, item, tag or mention row again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.roundtrips import redis_round_trips
from glimpse.accounts.models import User
from glimpse.core.fragments import fragments_forget
from glimpse.posts import services as post_services
from glimpse.posts.models import Post
from glimpse.posts.services import ItemSpec, PeopleTagSpec
from glimpse.stories.services import story_create
from tests.feeds.conftest import follow

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
READS_POSTS = ('FROM "posts_', 'FROM "media_')  # the statements that read posts or their media


@pytest.fixture
def network(
    redis_feeds: Any, make_user: Callable[..., User], media_for: Any, act: Any
) -> Callable[[int], User]:
    """Return a maker of a viewer whose feed holds ``count`` rich posts and a repost."""

    def make(count: int) -> User:
        viewer, ana, rita = make_user("viewer"), make_user("ana"), make_user("rita")
        act(lambda: follow(viewer, ana))
        act(lambda: follow(viewer, rita))
        elsewhere = make_user("bob")  # not followed: in the feed by rita's repost
        [media] = media_for(elsewhere, 1)
        shared = act(lambda: post_services.post_create(author=elsewhere, media_ids=[media.pk]))
        act(lambda: post_services.repost_create(user=rita, post_id=shared.pk))
        for n in range(count - 1):
            items = media_for(ana, 2)
            post = act(
                lambda n=n, items=items: post_services.post_create(
                    author=ana,
                    media_ids=[m.pk for m in items],
                    caption=f"#tag{n} with @rita",
                    items=[ItemSpec(people_tags=[PeopleTagSpec("rita", 0.5, 0.5)]), ItemSpec()],
                )
            )
            # Likes and comments for the cards' likes lines and previews (one mentions).
            for who in (rita, elsewhere):
                act(lambda who=who, post=post: post_services.like_create(user=who, post_id=post.pk))
            for who, text in ((elsewhere, "first"), (rita, "hi @ana"), (ana, f"thanks {n}")):
                act(
                    lambda who=who, text=text, post=post: post_services.comment_create(
                        author=who, post_id=post.pk, text=text
                    )
                )
        return viewer

    return make


def _web(viewer: User) -> Client:
    client = Client()
    client.force_login(viewer)
    return client


def _counted(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        answer = call()
    return answer, [query["sql"] for query in captured]


@pytest.mark.parametrize("size", [5, 20])
def test_a_warm_api_feed_page_costs_three_queries_whatever_its_size(
    network: Callable[[int], User], client_for: Any, size: int
) -> None:
    api = client_for(network(size))
    assert len(api.get("feed?limit=20").json()["items"]) == size  # builds the feed, the cards
    body, queries = _counted(lambda: api.get("feed?limit=20").json())
    assert len(body["items"]) == size
    # The token with its account, the posts' state with the viewer's own, the named accounts.
    assert len(queries) == 3, queries


@pytest.mark.parametrize("size", [5, 20])
def test_a_warm_web_feed_page_costs_three_queries_whatever_its_size(
    network: Callable[[int], User], size: int
) -> None:
    client = _web(network(size))
    below = f"{reverse('home')}?max_id={2**63 - 1}"  # the "Load more" answer, from the top
    client.get(below, headers=HTMX)
    page, queries = _counted(lambda: client.get(below, headers=HTMX))
    html = page.content.decode()
    assert html.count('class="card feed-card"') == size
    # The cards' likes lines and latest comments come with the state query: no query more.
    assert len(re.findall(r"Liked by <a [^>]+>rita</a> and <a [^>]+>1 other</a>", html)) == size - 1
    assert html.count("View all 3 comments") == size - 1
    assert html.count('class="comment-line"') == 2 * (size - 1)
    # The session's account (the session itself is cached), then the API's two queries.
    assert len(queries) == 3, queries


@pytest.mark.parametrize("size", [5, 20])
def test_the_whole_warm_home_page_costs_four_queries_and_reads_no_post_again(
    network: Callable[[int], User], media_for: Any, act: Any, size: int
) -> None:
    viewer = network(size)
    ana = User.objects.get(username="ana")
    [picture] = media_for(ana, 1)
    act(lambda: story_create(author=ana, media_id=picture.pk))
    client = _web(viewer)
    client.get(reverse("home"))
    page, queries = _counted(partial(client.get, reverse("home")))
    html = page.content.decode()
    assert html.count('class="card feed-card"') == size
    assert "rita</a> reposted" in html
    assert 'data-tray-account="ana"' in html  # ana's story is in the tray
    assert "data-notifications-badge" in html
    # The cards' latest comments and likers come with the state query, their text from
    # cached comment cards.
    assert html.count('class="comment-line"') == 2 * (size - 1)
    assert html.count("View all 3 comments") == size - 1
    # One statement reads posts: the state query the API's feed makes too.
    assert len([q for q in queries if any(t in q for t in READS_POSTS)]) == 1, queries
    # The account, the state, the named accounts, the story tray; the session, the unread
    # badge and the moderators come from the cache, the suggestions in their own request.
    assert len(queries) == 4, queries


def test_a_new_comment_costs_its_card_once(network: Callable[[int], User], act: Any) -> None:
    viewer = network(5)
    client = _web(viewer)
    below = f"{reverse('home')}?max_id={2**63 - 1}"
    client.get(below, headers=HTMX)
    post = Post.objects.filter(author__username="ana").first()
    rita = User.objects.get(username="rita")  # her account card is cached already
    assert post is not None
    act(lambda: post_services.comment_create(author=rita, post_id=post.pk, text="new here"))
    page, queries = _counted(lambda: client.get(below, headers=HTMX))
    assert "new here" in page.content.decode()
    # The new comment's card is read once (with its mentions), then cached like the others.
    assert len(queries) == 5, queries
    _, queries = _counted(lambda: client.get(below, headers=HTMX))
    assert len(queries) == 3, queries


def _round_trips(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    with redis_round_trips() as counted:
        answer = call()
    return answer, counted.sent


@pytest.mark.parametrize("size", [5, 20])
def test_a_warm_api_feed_page_costs_the_same_redis_round_trips_whatever_its_size(
    network: Callable[[int], User], client_for: Any, size: int
) -> None:
    api = client_for(network(size))
    api.get("feed?limit=20")
    body, sent = _round_trips(lambda: api.get("feed?limit=20").json())
    assert len(body["items"]) == size
    # The feed and the followed celebrities' outboxes in one pipeline. With the cache on Redis
    # too: the request limit's two (the token's refusal marks, then the count), the list of
    # followed celebrities, the reposts', posts' and accounts' cards (one read each) and the
    # impressions' buffer.
    expected = 8 if settings.REDIS_URL else 1
    assert len(sent) == expected, sent


@pytest.mark.parametrize("size", [5, 20])
def test_a_warm_web_feed_page_costs_the_same_redis_round_trips_whatever_its_size(
    network: Callable[[int], User], size: int
) -> None:
    client = _web(network(size))
    below = f"{reverse('home')}?max_id={2**63 - 1}"
    client.get(below, headers=HTMX)
    fragments_forget()  # served by another process: its cards' fragments in the shared cache
    page, sent = _round_trips(lambda: client.get(below, headers=HTMX))
    assert page.content.decode().count('class="card feed-card"') == size
    # The feed store; with the cache on Redis too: the session, the request limit, the
    # followed celebrities, the reposts', posts', comments' and accounts' cards, the
    # impressions' buffer, the moderators, and every fragment of the page in one read.
    expected = 11 if settings.REDIS_URL else 1
    assert len(sent) == expected, sent
    fragment_reads = [command for command in sent if ":fragment:" in command]
    assert len(fragment_reads) == (1 if settings.REDIS_URL else 0), sent
