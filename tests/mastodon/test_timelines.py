"""Timelines through the client API: home (posts and reposts), public and a hashtag's,
their shape, their pages (``max_id``, ``since_id``, ``min_id``, ``limit``) and ``Link``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.insights.models import ImpressionTally
from glimpse.insights.services import impressions_flush
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.mastodon.conftest import follow
from tests.mastodon.entities import statuses

pytestmark = pytest.mark.django_db


def links(response: Any) -> dict[str, str]:
    """Return the URLs of a ``Link`` header by their ``rel``."""
    header = response.headers.get("Link", "")
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [status.id for status in statuses(response.json())]


@pytest.fixture
def people(make_user: Callable[..., User], act: Callable[..., Any]) -> dict[str, User]:
    viewer, ana, bob = make_user("viewer"), make_user("ana"), make_user("bob")
    act(lambda: follow(viewer, ana))
    return {"viewer": viewer, "ana": ana, "bob": bob}


def test_the_home_timeline_holds_followed_posts_and_reposts_as_reblogs(
    store: Any,
    people: dict[str, User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
    act: Callable[..., Any],
) -> None:
    viewer, ana, bob = people["viewer"], people["ana"], people["bob"]
    own = post_by(ana, "hello #sunset with @bob", count=2)
    elsewhere = post_by(bob, "not followed")
    act(lambda: services.repost_create(user=ana, post_id=elsewhere.pk))
    response = client_for(viewer).get("timelines/home")
    found = statuses(response.json())
    assert len(found) == 2
    reblog, post = found
    assert reblog.account.username == "ana"
    assert reblog.reblog is not None
    assert reblog.reblog.id == str(elsewhere.pk)
    assert reblog.reblog.account.username == "bob"
    assert post.id == str(own.pk)
    assert post.visibility == "public"
    assert [m.type for m in post.media_attachments] == ["image", "image"]
    assert post.media_attachments[0].description == "upload"
    assert post.tags[0].name == "sunset"
    assert [m.username for m in post.mentions] == ["bob"]
    assert 'class="mention hashtag" rel="tag">#<span>sunset</span></a>' in post.content
    assert 'class="u-url mention">@<span>bob</span></a>' in post.content
    assert post.content.startswith("<p>hello ")
    assert post.account.statuses_count == 1


def test_home_pages_follow_the_link_header_down_and_back_up(
    store: Any,
    people: dict[str, User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
) -> None:
    posts = [post_by(people["ana"], f"post {n}") for n in range(5)]
    newest_first = [str(post.pk) for post in reversed(posts)]
    api = client_for(people["viewer"])
    first = api.get("timelines/home?limit=2")
    assert ids(first) == newest_first[:2]
    following = links(first)
    assert set(following) == {"next", "prev"}
    assert f"max_id={newest_first[1]}" in following["next"]
    assert "limit=2" in following["next"]
    second = api.get(following["next"].split("/api/v1/", 1)[1])
    assert ids(second) == newest_first[2:4]
    # Back up from the second page: the page just above it (min_id), newest first.
    above = api.get(links(second)["prev"].split("/api/v1/", 1)[1])
    assert ids(above) == newest_first[:2]
    assert ids(api.get(f"timelines/home?since_id={newest_first[3]}&limit=2")) == newest_first[:2]
    assert ids(api.get(f"timelines/home?min_id={newest_first[3]}&limit=2")) == newest_first[1:3]
    last = api.get(f"timelines/home?max_id={newest_first[3]}")
    assert ids(last) == newest_first[4:]
    empty = api.get(f"timelines/home?max_id={newest_first[4]}")
    assert ids(empty) == []
    assert "Link" not in empty.headers


def test_the_public_timeline_holds_public_accounts_posts_for_anyone(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    anon: ApiClient,
) -> None:
    ana, hidden = make_user("ana"), make_user("hidden", is_private=True)
    posts = [post_by(ana, f"public {n}") for n in range(3)]
    post_by(hidden, "followers only")
    newest_first = [str(post.pk) for post in reversed(posts)]
    assert ids(anon.get("timelines/public?local=true&only_media=true")) == newest_first
    page = anon.get("timelines/public?limit=1")
    assert ids(page) == newest_first[:1]
    assert ids(anon.get(links(page)["next"].split("/api/v1/", 1)[1])) == newest_first[1:2]
    assert ids(anon.get(f"timelines/public?min_id={newest_first[2]}&limit=1")) == [newest_first[1]]
    assert ids(anon.get("timelines/public?remote=true")) == []


def test_a_hashtag_timeline_holds_the_posts_with_the_tag(
    make_user: Callable[..., User], post_by: Callable[..., Post], anon: ApiClient
) -> None:
    ana = make_user("ana")
    tagged = [post_by(ana, f"#Sunset number {n}") for n in range(3)]
    post_by(ana, "#other")
    newest_first = [str(post.pk) for post in reversed(tagged)]
    assert ids(anon.get("timelines/tag/sunset")) == newest_first
    page = anon.get("timelines/tag/sunset?limit=2")
    assert ids(page) == newest_first[:2]
    assert ids(anon.get(links(page)["next"].split("/api/v1/", 1)[1])) == newest_first[2:]
    assert ids(anon.get(f"timelines/tag/sunset?since_id={newest_first[2]}")) == newest_first[:2]
    # Unknown or impossible tags have no posts; no error.
    assert ids(anon.get("timelines/tag/nothing")) == []
    assert ids(anon.get("timelines/tag/123")) == []


@pytest.mark.parametrize(
    "query",
    ["limit=abc", "limit=0", "max_id=abc", "since_id=-3", "min_id=1.5"],
)
def test_a_bad_page_parameter_is_a_422_in_mastodons_shape(
    query: str, people: dict[str, User], client_for: Callable[[User], ApiClient]
) -> None:
    api = client_for(people["viewer"])
    for path in ("timelines/home", "timelines/public", "timelines/tag/sunset"):
        response = api.get(f"{path}?{query}")
        assert response.status_code == 422, (path, response.content)
        body = response.json()
        assert set(body) <= {"error", "error_description"}
        assert body["error"].startswith("Validation failed: ")


def test_unknown_parameters_are_ignored_and_limit_stops_at_40(
    make_user: Callable[..., User], post_by: Callable[..., Post], anon: ApiClient
) -> None:
    post_by(make_user("ana"))
    assert len(ids(anon.get("timelines/public?limit=500&whatever=1&local=yes"))) == 1


def test_the_home_timeline_counts_impressions_as_the_feed_does(
    people: dict[str, User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
) -> None:
    post = post_by(people["ana"], "seen")
    client_for(people["viewer"]).get("timelines/home")
    impressions_flush()
    shown = ImpressionTally.objects.filter(source="feed")
    assert list(shown.values_list("post_id", flat=True)) == [post.pk]
