"""The @ and # suggestions of the caption and comment boxes (js/autocomplete.js) come from the
search API with the page's session: what they offer passes the visibility policy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import profile_update
from glimpse.graph.services import block_create, follow_create
from glimpse.posts import services as post_services
from tests.posts.conftest import media_for

__all__ = ["media_for"]  # a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, media_for: Any) -> dict[str, User]:
    """Mira asks. Rui is public; Ruth blocked Mira; Mira blocked Rudi; Rosa is private and
    not followed by Mira; Rita is private and followed by Mira."""
    people = {
        name: make_user(name, display_name=f"{name.title()} Example")
        for name in ("mira", "rui", "ruth", "rudi", "rosa", "rita")
    }
    block_create(blocker=people["ruth"], blocked=people["mira"])
    block_create(blocker=people["mira"], blocked=people["rudi"])
    follow_create(follower=people["mira"], followee=people["rita"])  # then she goes private
    for name in ("rosa", "rita"):
        profile_update(user=people[name], is_private=True)
    captions = {
        "rui": ["#sunset one", "#sunset two"],
        "ruth": ["#sunset from ruth", "#sunblocked"],
        "rudi": ["#sunset from rudi", "#sunrudi"],
        "rosa": ["#sunset from rosa", "#sunprivate"],
        "rita": ["#sunset from rita", "#sunfriend"],
    }
    for name, texts in captions.items():
        for text in texts:
            [media] = media_for(people[name], 1)
            post_services.post_create(author=people[name], media_ids=[media.pk], caption=text)
    return people


def ask(client: Client, kind: str, q: str) -> list[dict[str, Any]]:
    response = client.get("/api/glimpse/v1/search", {"type": kind, "q": q, "limit": "6"})
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_accounts_blocked_either_way_are_never_suggested(world: dict[str, User]) -> None:
    client = Client()
    client.force_login(world["mira"])
    names = [item["username"] for item in ask(client, "accounts", "r")]
    # A private account is still found by its name (Mira herself too: "mi-r-a").
    assert set(names) == {"mira", "rui", "rosa", "rita"}
    assert "ruth" not in names  # she blocked Mira
    assert "rudi" not in names  # Mira blocked him
    # Each suggestion carries what the list shows: the name, the display name, the avatar.
    first = ask(client, "accounts", "rui")[0]
    assert (first["username"], first["display_name"]) == ("rui", "Rui Example")
    assert "avatar" in first


def test_hashtags_count_only_posts_the_viewer_may_see(world: dict[str, User]) -> None:
    client = Client()
    client.force_login(world["mira"])
    found = {item["name"]: item["post_count"] for item in ask(client, "hashtags", "sun")}
    # Rui's two, Rita's (followed): not Ruth's, Rudi's or the unfollowed private Rosa's.
    assert found["sunset"] == 3
    assert "sunfriend" in found
    assert not {"sunblocked", "sunrudi", "sunprivate"} & set(found)


def test_the_blocked_side_is_not_offered_the_blocker_either(world: dict[str, User]) -> None:
    client = Client()
    client.force_login(world["ruth"])
    assert "mira" not in [item["username"] for item in ask(client, "accounts", "mi")]
