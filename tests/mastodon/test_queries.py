"""A timeline page costs the same number of SQL queries whatever its size: statuses are
drawn from cached cards and one state query, their accounts read in one more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import User
from glimpse.feeds.stores import RedisStore, feed_store
from glimpse.posts import services
from glimpse.posts.models import Post
from glimpse.posts.services import ItemSpec, PeopleTagSpec
from tests.conftest import ApiClient
from tests.mastodon.conftest import follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(
    make_user: Callable[..., User], media_for: Any, act: Callable[..., Any]
) -> Callable[[int], User]:
    """Return a maker of a viewer whose home holds ``count`` rich posts, one a repost."""

    def make(count: int) -> User:
        viewer, ana, rita, bob = (make_user(n) for n in ("viewer", "ana", "rita", "bob"))
        act(lambda: follow(viewer, ana))
        act(lambda: follow(viewer, rita))
        [media] = media_for(bob, 1)
        shared = act(lambda: services.post_create(author=bob, media_ids=[media.pk]))
        act(lambda: services.repost_create(user=rita, post_id=shared.pk))
        for n in range(count - 1):
            items = media_for(ana, 2)
            post = act(
                lambda n=n, items=items: services.post_create(
                    author=ana,
                    media_ids=[m.pk for m in items],
                    caption=f"#tag{n} #all with @rita",
                    items=[ItemSpec(people_tags=[PeopleTagSpec("rita", 0.5, 0.5)]), ItemSpec()],
                )
            )
            act(lambda post=post: services.like_create(user=rita, post_id=post.pk))
        return viewer

    return make


def _count(api: ApiClient, path: str) -> tuple[Any, int]:
    api.get(path)  # warms the feed and the cards
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return response.json(), len(captured)


# The queries of a warm page, whatever its size: the token with its account, then
# home (database feed store): the followed accounts whose posts are merged at read time,
#   the feed's entries, the reposts' references, the posts' state, the accounts named, the
#   accounts shown (with their counts);
# public: the page's ids, the posts' state, the accounts named, the accounts shown;
# tag: the tag with its count, the page's rows, one per relation of the hydrated posts
#   (items, people tags, hashtags, mentions, likes, saves, reposts), the accounts shown.
COSTS = {"timelines/home": 7, "timelines/public": 5, "timelines/tag/all": 11}
HOME_FROM_REDIS = 4  # the home feed's entries come from Redis, not from a query (docs/feeds.md)


@pytest.mark.parametrize("size", [5, 20])
@pytest.mark.parametrize("path", sorted(COSTS))
def test_a_timeline_page_costs_the_same_queries_whatever_its_size(
    network: Callable[[int], User],
    client_for: Callable[[User], ApiClient],
    path: str,
    size: int,
) -> None:
    body, queries = _count(client_for(network(size)), f"{path}?limit=40")
    # The tag's page leaves out the repost's original, which has no tag.
    assert len(body) == (size - 1 if path.startswith("timelines/tag") else size)
    from_redis = path == "timelines/home" and isinstance(feed_store(), RedisStore)
    assert queries == (HOME_FROM_REDIS if from_redis else COSTS[path])


def test_a_thread_costs_the_same_queries_for_5_and_20_comments(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    anon: ApiClient,
    act: Callable[..., Any],
) -> None:
    ana = make_user("ana")
    costs = []
    for size in (5, 20):
        post = post_by(ana, "a thread")
        for n in range(size):
            who = make_user(f"c{size}_{n}")
            act(
                lambda who=who, post=post: services.comment_create(
                    author=who, post_id=post.pk, text="hi @ana"
                )
            )
        body, queries = _count(anon, f"statuses/{post.pk}/context")
        assert len(body["descendants"]) == size
        costs.append(queries)
    assert costs[0] == costs[1], costs
