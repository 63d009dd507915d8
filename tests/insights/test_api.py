"""The insights API: the owner reads, nobody else does (staff included), input is checked."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from glimpse.accounts.models import User
from glimpse.api import api
from glimpse.graph import services as graph
from glimpse.insights import services
from glimpse.insights.buffer import get_buffer
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.insights.conftest import Run, api_as, insight_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(ana: User, bo: User, publish: Callable[..., Post], run: Run) -> Post:
    """A post of ana's seen by bo from his feed, once flushed."""
    made = publish(ana, caption="#sun")
    services.impressions_record(viewer=bo, post_ids=[made.pk], source="feed")
    services.impressions_flush()
    return made


def test_the_author_reads_a_post(ana: User, post: Post) -> None:
    answer = api_as(ana).get(f"insights/post/{post.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["id"], body["impressions"], body["reach"]) == (str(post.pk), 1, 1)
    assert body["sources"] == {"feed": 1}


def test_the_author_reads_the_account(ana: User, post: Post) -> None:
    answer = api_as(ana).get("insights/account?days=7")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["days"] == 7
    assert len(body["series"]) == 7
    assert body["totals"]["impressions"] == 1
    assert [row["id"] for row in body["top_posts"]] == [str(post.pk)]
    assert body["hashtags"] == [{"name": "sun", "posts": 1, "engagement_rate": 0.0}]


@pytest.mark.parametrize("days", ["14", "0", "seven"])
def test_a_window_other_than_7_30_or_90_is_refused(ana: User, days: str) -> None:
    answer = api_as(ana).get(f"insights/account?days={days}")
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"].keys() == {"days"}


@pytest.mark.parametrize("who", ["stranger", "follower", "blocked", "staff"])
def test_nobody_else_reads_a_post(
    who: str, ana: User, bo: User, post: Post, make_user: Callable[..., User], run: Run
) -> None:
    other = {
        "stranger": lambda: make_user("stranger"),
        "follower": lambda: bo,
        "staff": lambda: make_user("staff", is_staff=True, is_superuser=True),
        "blocked": lambda: make_user("blocked"),
    }[who]()
    if who == "blocked":
        run(lambda: graph.block_create(blocker=ana, blocked=other))
    before, buffered = insight_rows(), get_buffer().size()
    answer = api_as(other).get(f"insights/post/{post.pk}")
    missing = api_as(other).get("insights/post/4242")
    assert answer.status_code == 404
    assert answer.json() == missing.json()
    assert insight_rows() == before
    assert get_buffer().size() == buffered
    # Their own account insights never show ana's numbers.
    assert api_as(other).get("insights/account?days=7").json()["totals"]["impressions"] == 0


def test_anonymous_callers_are_refused(post: Post, anon: ApiClient) -> None:
    before = insight_rows()
    assert anon.get(f"insights/post/{post.pk}").status_code == 401
    assert anon.get("insights/account").status_code == 401
    assert anon.post("profile-visits", {"post_id": str(post.pk)}).status_code == 401
    assert insight_rows() == before


def test_a_profile_visit_from_the_api_credits_a_follow(
    ana: User, bo: User, post: Post, make_user: Callable[..., User], run: Run
) -> None:
    cy = make_user("cy")
    assert api_as(cy).post("profile-visits", {"post_id": str(post.pk)}).status_code == 204
    run(lambda: graph.follow_create(follower=cy, followee=ana))
    body = api_as(ana).get(f"insights/post/{post.pk}").json()
    assert (body["profile_visits"], body["follows"]) == (1, 1)


def test_every_operation_declares_its_errors() -> None:
    paths = api.get_openapi_schema()["paths"]
    declared = {
        ("/api/glimpse/v1/insights/account", "get"): {"200", "400", "401", "422"},
        ("/api/glimpse/v1/insights/post/{post_id}", "get"): {"200", "400", "401", "404", "422"},
        ("/api/glimpse/v1/shares", "post"): {"200", "400", "401", "404", "422"},
        ("/api/glimpse/v1/profile-visits", "post"): {"204", "400", "401", "422"},
    }
    for (path, method), statuses in declared.items():
        assert {str(s) for s in paths[path][method]["responses"]} == statuses, path
