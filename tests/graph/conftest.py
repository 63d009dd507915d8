"""What the graph tests share: the viewer kinds of the policy and a snapshot of the graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import profile_update, token_create
from glimpse.graph import services
from glimpse.graph.models import Block, Follow, FollowRequest, Mute
from tests.conftest import ApiClient

VIEWER_KINDS = ["anonymous", "stranger", "follower", "requester", "blocked", "blocker", "owner"]
ACCOUNT_KINDS = ["public", "private"]


def graph_state() -> dict[str, Any]:
    """Return every edge and every count, to show that a refused write changed nothing."""
    return {
        "follows": sorted(Follow.objects.values_list("follower_id", "followee_id")),
        "requests": sorted(FollowRequest.objects.values_list("requester_id", "target_id")),
        "blocks": sorted(Block.objects.values_list("blocker_id", "blocked_id")),
        "mutes": sorted(Mute.objects.values_list("muter_id", "muted_id")),
        "accounts": sorted(
            User.objects.values_list("pk", "follower_count", "following_count", "is_private")
        ),
    }


def counts(user: User) -> tuple[int, int]:
    """Return an account's (followers, following) counts as stored."""
    user.refresh_from_db()
    return user.follower_count, user.following_count


def follow_approved(follower: User, owner: User) -> None:
    """Make ``follower`` an approved follower of ``owner``, whatever its privacy."""
    if services.follow_create(follower=follower, followee=owner) == "requested":
        request = FollowRequest.objects.get(requester=follower, target=owner)
        services.follow_request_approve(owner=owner, request_id=request.pk)


def api_as(user: User | None) -> ApiClient:
    """Return an API client for this account (anonymous for None)."""
    if user is None:
        return ApiClient()
    _, secret = token_create(user=user, name="tests")
    return ApiClient(secret)


def web_as(user: User | None) -> Client:
    """Return a web client logged in as this account (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class Scene:
    """An account of a given privacy, a friend in its lists, and a viewer of a given kind."""

    owner: User
    friend: User
    viewer: User | None
    viewer_kind: str
    account_kind: str


def build_scene(make_user: Callable[..., User], viewer_kind: str, account_kind: str) -> Scene:
    """Build one cell of the visibility matrix through the real services."""
    owner = make_user("olive")
    friend = make_user("fern")
    # Olive's lists are not empty: she follows Fern and Fern follows her.
    follow_approved(friend, owner)
    follow_approved(owner, friend)
    if account_kind == "private":
        profile_update(user=owner, is_private=True)
    if viewer_kind in {"anonymous", "owner"}:
        viewer = None if viewer_kind == "anonymous" else owner
        owner.refresh_from_db()
        return Scene(owner, friend, viewer, viewer_kind, account_kind)
    other = make_user("victor")
    if viewer_kind == "follower":
        follow_approved(other, owner)
    elif viewer_kind == "requester":
        assert services.follow_create(follower=other, followee=owner) == "requested"
    elif viewer_kind == "blocked":
        follow_approved(other, owner)
        services.block_create(blocker=owner, blocked=other)
    elif viewer_kind == "blocker":
        follow_approved(other, owner)
        services.block_create(blocker=other, blocked=owner)
    owner.refresh_from_db()
    return Scene(owner, friend, other, viewer_kind, account_kind)


def matrix_cells() -> list[Any]:
    """Return every (viewer kind, account kind) pair; a public account has no requests."""
    return [
        pytest.param(viewer, account, id=f"{viewer}-{account}")
        for viewer in VIEWER_KINDS
        for account in ACCOUNT_KINDS
        if not (viewer == "requester" and account == "public")
    ]


def sees_profile(viewer_kind: str, account_kind: str) -> bool:
    """The rule for accounts: everyone but the two sides of a block."""
    return viewer_kind not in {"blocked", "blocker"}


def sees_content(viewer_kind: str, account_kind: str) -> bool:
    """The rule for content and lists: a private account's are for followers and itself."""
    if not sees_profile(viewer_kind, account_kind):
        return False
    return account_kind == "public" or viewer_kind in {"follower", "owner"}
