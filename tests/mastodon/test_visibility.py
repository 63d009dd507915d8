"""The visibility matrix over the client API: what a viewer may not see answers exactly like
what does not exist, and lists leave it out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.mastodon.conftest import client_api, follow
from tests.mastodon.entities import accounts, statuses
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db

MISSING = {"error": "Record not found"}


@pytest.fixture
def world(
    make_user: Callable[..., User], post_by: Callable[..., Post], act: Callable[..., Any]
) -> dict[str, Any]:
    """A private account with a follower, a stranger, an account it blocked, and a public one."""
    owner = make_user("owner", is_private=True)
    follower, stranger, blocked = make_user("follower"), make_user("stranger"), make_user("blk")
    public = make_user("public")
    act(lambda: follow(follower, owner))
    act(lambda: follow(blocked, public))
    secret = post_by(owner, "for followers #hidden")
    comment = act(lambda: services.comment_create(author=follower, post_id=secret.pk, text="ok"))
    shown = post_by(public, "for all #hidden")
    act(lambda: graph.block_create(blocker=public, blocked=blocked))
    return {
        "owner": owner,
        "follower": follower,
        "stranger": stranger,
        "blocked": blocked,
        "public": public,
        "secret": secret,
        "comment": comment,
        "shown": shown,
    }


def _clients(world: dict[str, Any], client_for: Callable[[User], ApiClient]) -> dict[str, Any]:
    return {
        "anonymous": client_api(),
        "stranger": client_for(world["stranger"]),
        "follower": client_for(world["follower"]),
        "owner": client_for(world["owner"]),
    }


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_a_private_accounts_post_is_missing_for_a_non_follower(
    world: dict[str, Any], client_for: Callable[[User], ApiClient], who: str
) -> None:
    api = _clients(world, client_for)[who]
    before = snapshot()
    for status_id in (world["secret"].pk, world["comment"].pk):
        for path in ("", "/context", "/favourited_by", "/reblogged_by"):
            response = api.get(f"statuses/{status_id}{path}")
            if path in ("/favourited_by", "/reblogged_by") and status_id == world["comment"].pk:
                assert response.status_code == 404
                continue
            assert response.status_code == 404, (status_id, path)
            assert response.json() == MISSING
    owner = world["owner"].pk
    assert statuses(api.get(f"accounts/{owner}/statuses").json()) == []
    assert api.get(f"accounts/{owner}/followers").json() == MISSING
    assert [s.id for s in statuses(api.get("timelines/tag/hidden").json())] == [
        str(world["shown"].pk)
    ]
    public_ids = [s.id for s in statuses(api.get("timelines/public").json())]
    assert str(world["secret"].pk) not in public_ids
    assert snapshot() == before


@pytest.mark.parametrize("who", ["follower", "owner"])
def test_a_follower_and_the_owner_see_the_private_post(
    world: dict[str, Any], client_for: Callable[[User], ApiClient], who: str
) -> None:
    api = _clients(world, client_for)[who]
    secret = world["secret"]
    status = api.get(f"statuses/{secret.pk}").json()
    assert status["visibility"] == "private"
    assert status["account"]["locked"] is True
    assert [s["id"] for s in api.get(f"statuses/{secret.pk}/context").json()["descendants"]] == [
        str(world["comment"].pk)
    ]
    owner = world["owner"].pk
    assert [s.id for s in statuses(api.get(f"accounts/{owner}/statuses").json())] == [
        str(secret.pk)
    ]
    assert len(statuses(api.get("timelines/tag/hidden").json())) == 2


def test_a_blocked_account_sees_neither_the_blocker_nor_its_posts(
    world: dict[str, Any], client_for: Callable[[User], ApiClient]
) -> None:
    api = client_for(world["blocked"])
    public, shown = world["public"], world["shown"]
    before = snapshot()
    for path in (
        f"statuses/{shown.pk}",
        f"statuses/{shown.pk}/context",
        f"accounts/{public.pk}",
        f"accounts/{public.pk}/statuses",
        f"accounts/{public.pk}/followers",
        "accounts/lookup?acct=public",
    ):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json() == MISSING
    assert statuses(api.get("timelines/home").json()) == []
    assert str(shown.pk) not in [s.id for s in statuses(api.get("timelines/public").json())]
    assert str(shown.pk) not in [s.id for s in statuses(api.get("timelines/tag/hidden").json())]
    assert api.get(f"accounts/relationships?id[]={public.pk}").json() == []
    assert "public" not in [a.username for a in accounts(api.get("accounts/search?q=pub").json())]
    # The blocker still sees the account it blocked, and that it blocks it.
    blocker = client_for(public)
    [relation] = blocker.get(f"accounts/relationships?id[]={world['blocked'].pk}").json()
    assert relation["blocking"] is True
    assert snapshot() == before


@pytest.mark.parametrize("who", ["stranger", "blocked"])
def test_what_a_viewer_may_not_see_cannot_be_acted_on_either(
    world: dict[str, Any], client_for: Callable[[User], ApiClient], who: str
) -> None:
    api = client_for(world[who])
    # The stranger does not follow the private owner; the blocked account is blocked by
    # the public one.
    target = world["secret"] if who == "stranger" else world["shown"]
    before = snapshot()
    for action in ("favourite", "reblog", "bookmark", "unfavourite", "pin"):
        response = api.post(f"statuses/{target.pk}/{action}")
        assert response.status_code == 404, action
        assert response.json() == MISSING
    for path in ("source", "history"):
        response = api.get(f"statuses/{target.pk}/{path}")
        assert (response.status_code, response.json()) == (404, MISSING), path
    reply = api.post("statuses", {"status": "hello", "in_reply_to_id": str(target.pk)})
    assert (reply.status_code, reply.json()) == (404, MISSING)
    assert str(target.pk) not in [s.id for s in statuses(api.get("trends/statuses").json())]
    assert snapshot() == before
