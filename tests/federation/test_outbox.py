"""An account's outbox: its count, its pages of Create activities and their cursors, and
the posts it never lists (docs/federation.md, "Posts as Notes")."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph.services import content_hide
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.federation.notes_fixtures import SITE, federating, fetch
from tests.posts.conftest import media_for

__all__ = ["federating", "fetch", "media_for"]

OUTBOX = f"{SITE}/users/rita/outbox"

pytestmark = pytest.mark.usefixtures("federating")


@pytest.fixture
def rita(make_user: Callable[..., User]) -> User:
    return make_user("rita")


@pytest.fixture
def posts_of(media_for: Callable[..., list[Any]]) -> Callable[[User, int], list[Post]]:
    """Publish ``count`` one-photo posts by an account; return them newest first."""

    def make(author: User, count: int) -> list[Post]:
        made = [
            services.post_create(author=author, media_ids=[m.pk], caption=f"Post {n}")
            for n, m in enumerate(media_for(author, count))
        ]
        return made[::-1]

    return make


def activity(response: Any) -> dict[str, Any]:
    """Return the ActivityPub document of a 200 answer."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/activity+json; charset=utf-8"
    document: dict[str, Any] = json.loads(response.content)
    return document


def item_ids(page: dict[str, Any]) -> list[str]:
    """Return the ids of the Notes a page's Create activities carry."""
    for create in page["orderedItems"]:
        assert create["type"] == "Create"
        assert create["id"] == create["object"]["id"] + "#create"
        assert "@context" not in create
    return [create["object"]["id"] for create in page["orderedItems"]]


def note_ids(posts: list[Post]) -> list[str]:
    return [f"{SITE}/p/{post.pk}/" for post in posts]


def test_the_outbox_pages_twenty_creates_newest_first(
    rita: User, posts_of: Callable[[User, int], list[Post]], fetch: Callable[..., Any]
) -> None:
    posts = posts_of(rita, 22)
    collection = activity(fetch("/users/rita/outbox"))
    assert collection["type"] == "OrderedCollection"
    assert collection["id"] == OUTBOX
    assert collection["totalItems"] == 22
    assert collection["first"] == f"{OUTBOX}?page=true"
    assert "orderedItems" not in collection

    first = activity(fetch(collection["first"]))
    assert first["type"] == "OrderedCollectionPage"
    assert first["partOf"] == OUTBOX
    assert first["id"] == f"{OUTBOX}?page=true"
    assert item_ids(first) == note_ids(posts[:20])
    assert first["next"] == f"{OUTBOX}?page=true&max_id={posts[19].pk}"
    assert "prev" not in first
    assert first["orderedItems"][0]["object"]["content"] == "<p>Post 21</p>"
    assert first["orderedItems"][0]["actor"] == f"{SITE}/users/rita"

    second = activity(fetch(first["next"]))
    assert item_ids(second) == note_ids(posts[20:])
    assert "next" not in second
    assert second["prev"] == f"{OUTBOX}?page=true&min_id={posts[20].pk}"

    # Back up from the second page: the twenty posts just above it, newest first.
    back = activity(fetch(second["prev"]))
    assert item_ids(back) == note_ids(posts[:20])
    assert back["next"] == f"{OUTBOX}?page=true&max_id={posts[19].pk}"


def test_posts_the_public_may_not_see_are_neither_listed_nor_counted(
    rita: User, posts_of: Callable[[User, int], list[Post]], fetch: Callable[..., Any]
) -> None:
    archived, hidden, *shown = posts_of(rita, 4)
    services.post_archive(actor=rita, post_id=archived.pk)
    content_hide(kind="post", target_id=hidden.pk)
    assert activity(fetch("/users/rita/outbox"))["totalItems"] == 2
    assert item_ids(activity(fetch("/users/rita/outbox?page=true"))) == note_ids(shown)
    assert Post.objects.filter(author=rita).count() == 4  # nothing changed


def test_a_private_accounts_outbox_counts_but_lists_nothing(
    make_user: Callable[..., User],
    posts_of: Callable[[User, int], list[Post]],
    fetch: Callable[..., Any],
) -> None:
    lea = make_user("lea", is_private=True)
    posts_of(lea, 2)
    lea.refresh_from_db()
    collection = activity(fetch("/users/lea/outbox"))
    assert collection["totalItems"] == lea.post_count == 2
    page = activity(fetch("/users/lea/outbox?page=true"))
    assert page["orderedItems"] == []
    assert "next" not in page


def test_unknown_accounts_bad_cursors_and_federation_off_are_not_found(
    rita: User,
    posts_of: Callable[[User, int], list[Post]],
    fetch: Callable[..., Any],
    settings: Any,
) -> None:
    posts_of(rita, 1)
    assert fetch("/users/nobody/outbox").status_code == 404
    assert fetch("/users/rita/outbox?page=true&max_id=abc").status_code == 404
    assert fetch("/users/rita/outbox?page=true&min_id=-1").status_code == 404
    rita.is_active = False
    rita.save(update_fields=["is_active"])
    assert fetch("/users/rita/outbox").status_code == 404
    rita.is_active = True
    rita.save(update_fields=["is_active"])
    assert fetch("/users/rita/outbox").status_code == 200
    settings.GLIMPSE_FEDERATION = False
    assert fetch("/users/rita/outbox").status_code == 404
    assert fetch("/users/rita/outbox?page=true").status_code == 404
