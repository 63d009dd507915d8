"""The Reels feed: who it shows, its pages, its cost, its API and its page; play counting."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from glimpse.accounts.models import User
from glimpse.feeds.reels import reels_page
from glimpse.graph import services as graph
from glimpse.insights.models import ImpressionTally
from glimpse.insights.services import impressions_flush
from glimpse.posts import services as post_services
from glimpse.posts.models import Like, Post
from glimpse.posts.schemas import PostListOut
from tests.feeds.conftest import follow
from tests.feeds.test_explore import all_pages
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def bare_reel(author: User, **fields: Any) -> Post:
    """Create a reel row without media: who sees what is decided on rows alone."""
    return Post.objects.create(author=author, kind=Post.Kind.REEL, **fields)


def every_page(viewer: User, *, limit: int = 2) -> list[int]:
    """Return the ids the Reels feed shows the viewer, page after page."""
    page = reels_page(viewer=viewer, limit=limit)
    shown = [item.post_id for item in page.items]
    while page.next_max_id is not None:
        page = reels_page(viewer=viewer, max_id=page.next_max_id, limit=limit)
        shown += [item.post_id for item in page.items]
    return shown


@pytest.fixture
def world(make_user: Callable[..., User], act: Any) -> dict[str, Any]:
    """A viewer and the accounts around it, each with a reel (and some plain posts)."""
    names = ("viewer", "followed", "public", "private_followed", "private", "blocked")
    people = {name: make_user(name) for name in (*names, "blocker", "muted")}
    for name in ("private_followed", "private"):
        people[name].is_private = True
        people[name].save()
    viewer = people["viewer"]
    act(lambda: follow(viewer, people["followed"]))
    act(lambda: follow(viewer, people["private_followed"]))
    graph.block_create(blocker=viewer, blocked=people["blocked"])
    graph.block_create(blocker=people["blocker"], blocked=viewer)
    graph.mute_create(muter=viewer, muted=people["muted"])
    reels = {name: bare_reel(user) for name, user in people.items()}
    Post.objects.create(author=people["followed"])  # a plain post: never in Reels
    archived = bare_reel(people["public"], is_archived=True)
    return {"people": people, "reels": reels, "archived": archived}


def test_the_feed_holds_followed_and_public_reels_the_viewer_may_see(world: Any) -> None:
    people, reels = world["people"], world["reels"]
    before = snapshot()
    shown = every_page(people["viewer"])
    # Newest first: followed accounts' reels (private ones too, once approved) and public
    # accounts' reels; never its own, a private stranger's, a blocked or blocking account's,
    # a muted account's, an archived reel or a plain post.
    expected = [reels[name].pk for name in ("followed", "public", "private_followed")]
    assert shown == sorted(expected, reverse=True)
    assert snapshot() == before


def test_a_stranger_sees_public_reels_only(world: Any, make_user: Callable[..., User]) -> None:
    reels = world["reels"]
    stranger = make_user("stranger")
    expected = [reels[name].pk for name in ("viewer", "followed", "public", "blocked", "muted")]
    expected.append(reels["blocker"].pk)
    assert every_page(stranger) == sorted(expected, reverse=True)


def test_explore_recommends_reels_public_unfollowed_and_not_liked(
    world: Any, make_user: Callable[..., User]
) -> None:
    people, reels = world["people"], world["reels"]
    viewer = people["viewer"]
    liked = bare_reel(make_user("liked"))
    Like.objects.create(user=viewer, post=liked)
    found = {pk for pk in all_pages(viewer) if Post.objects.get(pk=pk).kind == Post.Kind.REEL}
    assert found == {reels["public"].pk}


def test_pages_follow_the_cursor_without_gaps_or_repeats(
    make_user: Callable[..., User],
) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    made = [bare_reel(author).pk for _ in range(5)]
    first = reels_page(viewer=viewer, limit=2)
    assert [item.post_id for item in first.items] == made[::-1][:2]
    assert first.next_max_id == made[3]
    assert every_page(viewer, limit=2) == made[::-1]
    last = reels_page(viewer=viewer, max_id=made[1], limit=2)
    assert [item.post_id for item in last.items] == [made[0]]
    assert last.next_max_id is None


@pytest.fixture
def reels_by(publish_reel: Any) -> Callable[[User, int], list[Post]]:
    """Publish ``count`` real reels (processed videos) by an author."""

    def make(author: User, count: int) -> list[Post]:
        return [publish_reel(author, caption=f"reel {n} with @viewer #clip") for n in range(count)]

    return make


def _queries(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        answer = call()
    return answer, [query["sql"] for query in captured]


def test_a_warm_page_costs_the_same_queries_whatever_its_size(
    make_user: Callable[..., User], reels_by: Any, client_for: Any
) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    reels_by(author, 6)
    api = client_for(viewer)
    counts = {}
    for size in (2, 6):
        path = f"reels?limit={size}"
        assert len(api.get(path).json()["items"]) == size  # fills the cards' cache
        body, queries = _queries(partial(api.get, path))
        body = body.json()
        assert len(body["items"]) == size
        assert all(item["media"][0]["kind"] == "video" for item in body["items"])
        counts[size] = len(queries)
    # The token with its account, the page's ids, their state, the accounts they name.
    assert counts[2] == counts[6] == 4, counts


def test_the_api_answers_reels_as_posts_page_by_page(
    make_user: Callable[..., User], reels_by: Any, client_for: Any, anon: Any
) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    older, newer = reels_by(author, 2)
    api = client_for(viewer)
    first = api.get("reels?limit=1")
    assert first.status_code == 200
    body = first.json()
    PostListOut.model_validate(body)
    [item] = body["items"]
    assert item["id"] == str(newer.pk)
    assert item["kind"] == "reel"
    assert item["view_count"] == 0
    assert item == api.get(f"posts/{newer.pk}").json()  # the one post presenter
    rest = api.get(f"reels?limit=1&max_id={body['next_max_id']}").json()
    assert [i["id"] for i in rest["items"]] == [str(older.pk)]
    assert rest["next_max_id"] is None
    assert anon.get("reels").status_code == 401
    for path in ("reels?limit=0", "reels?max_id=abc"):
        response = api.get(path)
        assert response.status_code == 422, path
        assert set(response.json()["error"]) == {"code", "message", "fields"}
    impressions_flush()
    shown = ImpressionTally.objects.filter(source="reels")
    assert sorted(shown.values_list("post_id", flat=True)) == sorted([older.pk, newer.pk])


def test_the_api_counts_plays_once_and_hides_what_the_viewer_may_not_see(
    world: Any, client_for: Any, anon: Any
) -> None:
    people, reels = world["people"], world["reels"]
    api = client_for(people["viewer"])
    public = reels["public"].pk
    assert api.post(f"reels/{public}/views").json() == {"view_count": 1}
    assert api.post(f"reels/{public}/views").json() == {"view_count": 1}
    assert client_for(people["followed"]).post(f"reels/{public}/views").json() == {"view_count": 2}
    plain = Post.objects.get(author=people["followed"], kind=Post.Kind.POST).pk
    hidden = [reels[name].pk for name in ("private", "blocked", "blocker")]
    for post_id in (*hidden, world["archived"].pk, plain, 2**62):
        before = snapshot()
        response = api.post(f"reels/{post_id}/views")
        assert response.status_code == 404, post_id
        assert response.json()["error"]["code"] == "not_found"
        assert snapshot() == before
    assert anon.post(f"reels/{public}/views").status_code == 401


def test_a_profiles_reels_in_the_api_follow_the_grid_policy(
    world: Any, client_for: Any, anon: Any
) -> None:
    people, reels = world["people"], world["reels"]
    api = client_for(people["viewer"])
    body = api.get("accounts/private_followed/reels").json()
    assert [i["id"] for i in body["items"]] == [str(reels["private_followed"].pk)]
    assert api.get("accounts/private/reels").json()["items"] == []  # not followed
    assert anon.get("accounts/private_followed/reels").json()["items"] == []
    assert api.get("accounts/blocker/reels").status_code == 404
    assert api.get("accounts/blocked/reels").status_code == 404
    # The archived reel is its author's alone.
    assert [i["id"] for i in api.get("accounts/public/reels").json()["items"]] == [
        str(reels["public"].pk)
    ]


def test_openapi_declares_reels(anon: Any) -> None:
    document = anon.get("openapi.json").json()
    paths = document["paths"]
    assert set(paths["/api/glimpse/v1/reels"]["get"]["responses"]) == {"200", "400", "401", "422"}
    views = paths["/api/glimpse/v1/reels/{post_id}/views"]["post"]["responses"]
    assert set(views) == {"200", "400", "401", "404", "422"}
    reels = paths["/api/glimpse/v1/accounts/{username}/reels"]["get"]["responses"]
    assert set(reels) == {"200", "400", "401", "404", "422"}
    post = document["components"]["schemas"]["PostOut"]["properties"]
    assert post["kind"]["enum"] == ["post", "reel"]
    assert "view_count" in post
    assert document["components"]["schemas"]["PostIn"]["properties"]["kind"]["default"] == "post"


# --- The page -------------------------------------------------------------------------------


def _web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_reels_page_is_named_for_the_navigation_and_asks_for_a_login(
    make_user: Callable[..., User],
) -> None:
    assert reverse("reels:feed") == "/reels/"
    assert resolve("/reels/").view_name == "reels:feed"
    response = Client().get("/reels/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_reels_page_plays_the_reels_the_viewer_may_see(
    make_user: Callable[..., User], reels_by: Any, act: Any
) -> None:
    viewer, author, private = make_user("viewer"), make_user("author"), make_user("hidden")
    private.is_private = True
    private.save()
    [shown] = reels_by(author, 1)
    [hidden] = reels_by(private, 1)
    post_services.reel_view_record(viewer=make_user("fan"), post_id=shown.pk)
    page = _web(viewer).get(reverse("reels:feed"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<article class="reel') == 1
    assert f'data-reel="{shown.pk}"' in html
    assert f'data-reel="{hidden.pk}"' not in html
    assert ".mp4?expires=" in html
    assert "muted" in html
    assert "playsinline" in html
    assert "1 view</p>" in html
    assert f'action="{reverse("posts:like", args=[shown.pk])}"' in html  # works without JS
    assert f'href="{reverse("posts:detail", args=[shown.pk])}#comment-text"' in html
    # The author's own page of reels has none of the author's: Reels shows others' reels.
    assert 'data-reel="' not in _web(author).get(reverse("reels:feed")).content.decode()


def test_the_next_reels_come_in_place_for_htmx(
    make_user: Callable[..., User], publish_reel: Any
) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    made = [publish_reel(author) for _ in range(6)]
    client = _web(viewer)
    first = client.get(reverse("reels:feed")).content.decode()
    assert first.count('<article class="reel') == 5
    assert f'hx-get="?max_id={made[1].pk}"' in first
    more = client.get(f"{reverse('reels:feed')}?max_id={made[1].pk}", headers=HTMX)
    html = more.content.decode()
    assert "<html" not in html
    assert f'data-reel="{made[0].pk}"' in html
    assert "You&#x27;re all caught up" in html or "You're all caught up" in html
    assert client.get(f"{reverse('reels:feed')}?max_id=abc").status_code == 404


def test_a_profiles_reels_tab_shows_tall_tiles_with_views_under_the_policy(
    world: Any, make_user: Callable[..., User], publish_reel: Any
) -> None:
    people = world["people"]
    client = _web(people["viewer"])
    reel = publish_reel(people["public"])
    post_services.reel_view_record(viewer=people["viewer"], post_id=reel.pk)
    page = client.get(reverse("profile_reels", args=["public"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-reel-tile="{reel.pk}"' in html
    assert f'data-reel-tile="{world["reels"]["public"].pk}"' in html
    assert "1 view</span>" in html
    assert 'aria-current="page">' in html
    assert f'href="{reverse("profile", args=["public"])}"' in html  # the Posts tab
    # A private account's reels are for its followers; a blocked account is missing.
    locked = client.get(reverse("profile_reels", args=["private"])).content.decode()
    assert "This account is private" in locked
    assert "data-reel-tile" not in locked
    followed = client.get(reverse("profile_reels", args=["private_followed"])).content.decode()
    assert f'data-reel-tile="{world["reels"]["private_followed"].pk}"' in followed
    assert client.get(reverse("profile_reels", args=["blocker"])).status_code == 404
    assert Client().get(reverse("profile_reels", args=["private"])).status_code == 200
    empty = _web(make_user("nobody")).get(reverse("profile_reels", args=["nobody"]))
    assert "No reels yet" in empty.content.decode()


def test_a_reel_in_the_home_feed_fills_a_4_5_frame_and_its_own_page_shows_it_whole(
    make_user: Callable[..., User], reels_by: Any, act: Any
) -> None:
    viewer, author = make_user("viewer"), make_user("author")
    act(lambda: follow(viewer, author))
    [reel] = reels_by(author, 1)
    client = Client()
    client.force_login(viewer)

    home = client.get(reverse("home")).content.decode()
    card = home[home.index(f'id="post-{reel.pk}"') :]
    carousel = card[card.index('class="carousel') : card.index("data-carousel")]
    assert "carousel--cover" in carousel
    assert "aspect-ratio: 4 / 5" in card[: card.index("</article>")]

    page = client.get(reverse("posts:detail", kwargs={"post_id": reel.pk})).content.decode()
    shape = re.search(r"aspect-ratio: (\d+) / (\d+)", page)
    assert shape is not None
    assert int(shape.group(1)) / int(shape.group(2)) == pytest.approx(9 / 16, abs=0.01)
    assert "carousel--cover" not in page
