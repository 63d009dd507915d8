"""Hot paths: a page of posts costs the same number of SQL queries whatever its size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import User
from glimpse.posts import services
from glimpse.posts.services import ItemSpec, PeopleTagSpec, PlaceSpec
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

PAGES = {
    "grid": lambda ids: "accounts/ana/posts?limit=50",
    "tag": lambda ids: "tags/busy/posts?limit=50",
    "place": lambda ids: f"places/{ids['place']}/posts?limit=50",
    "saved": lambda ids: "collections/saved?limit=50",
    "collection": lambda ids: f"collections/{ids['collection']}?limit=50",
    "archive": lambda ids: "accounts/me/archive?limit=50",
}


def _rich_posts(count: int, ana: User, bea: User, publish, ids: dict[str, int]) -> None:
    """Publish carousels with tags, mentions, hashtags and a place; bea likes and saves them."""
    for n in range(count):
        post = publish(
            ana,
            2,
            caption=f"#busy #n{n} with @bea",
            items=[ItemSpec(people_tags=[PeopleTagSpec("bea", 0.5, 0.5)]), ItemSpec()],
            place=PlaceSpec(name="Busy square"),
        )
        ids["place"] = post.place_id or 0
        services.like_create(user=bea, post_id=post.pk)
        services.save_create(user=bea, post_id=post.pk, collection_id=ids["collection"])
        services.comment_create(author=bea, post_id=post.pk, text="nice @ana")


def _queries(client: ApiClient, path: str, expected_items: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.json()
    assert len(response.json()["items"]) == expected_items
    return len(captured)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_page_of_5_or_20_posts_costs_the_same_queries(
    make_user, publish, client_for, page: str
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    viewer = ana if page == "archive" else bea
    client = client_for(viewer)
    ids = {"collection": services.collection_create(owner=bea, name="All").pk}
    _rich_posts(5, ana, bea, publish, ids)
    if page == "archive":
        for post in ana.posts.all():
            services.post_archive(actor=ana, post_id=post.pk)
    path = PAGES[page](ids)
    client.get(path)  # the first request records the token's use and caches the cards
    small = _queries(client, path, 5)
    _rich_posts(15, ana, bea, publish, ids)
    if page == "archive":
        for post in ana.posts.filter(is_archived=False):
            services.post_archive(actor=ana, post_id=post.pk)
    client.get(path)  # as before the first count: the new posts' cards are cached now
    assert _queries(client, path, 20) == small


def test_a_page_of_comments_costs_the_same_queries(make_user, publish, client_for) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    client = client_for(bea)

    def comment(count: int) -> None:
        for n in range(count):
            made = services.comment_create(author=ana, post_id=post.pk, text=f"{n} @bea")
            services.comment_like_create(user=bea, comment_id=made.pk)

    path = f"posts/{post.pk}/comments?limit=50"
    comment(5)
    client.get(path)
    small = _queries(client, path, 5)
    comment(15)
    assert _queries(client, path, 20) == small


def test_likers_cost_the_same_queries(make_user, publish, client_for) -> None:
    ana = make_user("ana")
    post = publish(ana)
    client = client_for(ana)

    def fans(first: int, last: int) -> list[User]:
        return [make_user(f"fan{n}") for n in range(first, last)]

    for fan in fans(0, 5):
        services.like_create(user=fan, post_id=post.pk)
    path = f"posts/{post.pk}/likes?limit=50"
    client.get(path)
    small = _queries(client, path, 5)
    for fan in fans(5, 20):
        services.like_create(user=fan, post_id=post.pk)
    assert _queries(client, path, 20) == small


def _page_queries(client: Client, path: str) -> int:
    client.get(path)  # warms what a first visit fills (cards, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_profile_page_costs_the_same_queries_for_5_or_20_posts(
    make_user, publish, client: Client
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    client.force_login(bea)
    ids = {"collection": services.collection_create(owner=bea, name="All").pk}
    _rich_posts(5, ana, bea, publish, ids)
    small = _page_queries(client, "/ana/")
    _rich_posts(15, ana, bea, publish, ids)
    assert _page_queries(client, "/ana/") == small


def test_the_post_page_costs_the_same_queries_for_5_or_20_comments(
    make_user, publish, client: Client
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(
        ana,
        2,
        caption="#sea with @bea",
        items=[ItemSpec(people_tags=[PeopleTagSpec("bea", 0.5, 0.5)]), ItemSpec()],
    )
    client.force_login(bea)

    def comment(count: int) -> None:
        for n in range(count):
            made = services.comment_create(author=ana, post_id=post.pk, text=f"{n} @bea")
            services.comment_like_create(user=bea, comment_id=made.pk)

    comment(5)
    small = _page_queries(client, f"/p/{post.pk}/")
    comment(15)
    assert _page_queries(client, f"/p/{post.pk}/") == small


READS_POSTS = ('FROM "posts_', 'FROM "media_')  # the statements that read posts or their media


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # The token with its account, the state query, the named accounts' visibility.
        ("posts/{post}", 3),
        # The token, the account, the pinned posts, the page's ids, the state, the named.
        ("accounts/ana/posts?limit=50", 6),
    ],
)
def test_a_warm_post_or_grid_reads_posts_from_their_cards(
    make_user, publish, client_for, path: str, expected: int
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    ids = {"collection": services.collection_create(owner=bea, name="All").pk}
    _rich_posts(3, ana, bea, publish, ids)
    client = client_for(bea)
    address = path.format(post=ana.posts.first().pk)
    client.get(address)  # caches the cards
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(address).json()
    queries = [query["sql"] for query in captured]
    shown = answer.get("items", [answer])
    assert all(post["mentions"] == ["bea"] for post in shown)
    assert all(post["media"][0]["people_tags"][0]["account"]["username"] == "bea" for post in shown)
    assert all(post["viewer"]["liked"] and post["viewer"]["saved"] for post in shown)
    # Posts are read once, by the state query (the grid's ids come from their own query).
    reads = [q for q in queries if any(t in q for t in READS_POSTS)]
    assert len(reads) == (1 if "items" not in answer else 3), queries
    assert len(queries) == expected, queries
