"""What an account does to another through the client API: follow, unfollow, block, unblock,
mute, unmute, remove a follower, and answer a request to follow it.

Each maps onto one service of the social graph, so the visibility policy holds as it does
everywhere: an account the actor may not see (missing, or one that blocked the actor)
answers 404 ``Record not found`` and nothing changes, and acting on oneself is a 422. An
action answers the Relationship between the two accounts after it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.accounts.models import User
from glimpse.graph import selectors as graph_selectors
from glimpse.graph import services as graph_services
from glimpse.graph.visibility import relation_to
from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.entities.accounts import relationship_entity

router = Router(tags=["accounts"])

WRITE_FOLLOWS = TokenAuth("write:follows")

# Each action: its path under ``accounts/:id/``, its scope, and the graph service it calls
# with the acting account and the other one. Mastodon's options (``reblogs``, ``notify``
# and ``languages`` of a follow; ``notifications`` and ``duration`` of a mute) have no
# equivalent in Glimpse and are ignored.
AccountAction = Callable[[User, User], Any]
_ACTIONS: dict[str, tuple[str, AccountAction]] = {
    "follow": (
        "write:follows",
        lambda user, other: graph_services.follow_create(follower=user, followee=other),
    ),
    "unfollow": (
        "write:follows",
        lambda user, other: graph_services.follow_delete(follower=user, followee=other),
    ),
    "remove_from_followers": (
        "write:follows",
        lambda user, other: graph_services.follower_remove(owner=user, follower=other),
    ),
    "block": (
        "write:blocks",
        lambda user, other: graph_services.block_create(blocker=user, blocked=other),
    ),
    "unblock": (
        "write:blocks",
        lambda user, other: graph_services.block_delete(blocker=user, blocked=other),
    ),
    "mute": (
        "write:mutes",
        lambda user, other: graph_services.mute_create(muter=user, muted=other),
    ),
    "unmute": (
        "write:mutes",
        lambda user, other: graph_services.mute_delete(muter=user, muted=other),
    ),
}


def _action_view(name: str, act_on: AccountAction) -> Any:
    def act(request: HttpRequest, account_id: int) -> dict[str, Any]:
        user = request_account(request)
        other = graph_selectors.related_account_get(viewer=user, account_id=account_id)
        act_on(user, other)
        return _relationship(user, other.pk)

    act.__name__ = f"account_{name}"
    act.__doc__ = f"Do '{name}' to an account; return the relationship to it afterwards."
    return act


for _name, (_scope, _act_on) in _ACTIONS.items():
    router.post(f"/accounts/{{snowflake:account_id}}/{_name}", auth=TokenAuth(_scope))(
        _action_view(_name, _act_on)
    )


@router.post("/follow_requests/{snowflake:account_id}/authorize", auth=WRITE_FOLLOWS)
def follow_request_authorize(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """Approve an account's request to follow the viewer: it becomes a follower."""
    owner = request_account(request)
    pending = graph_selectors.follow_request_of(owner=owner, requester_id=account_id)
    graph_services.follow_request_approve(owner=owner, request_id=pending.pk)
    return _relationship(owner, account_id)


@router.post("/follow_requests/{snowflake:account_id}/reject", auth=WRITE_FOLLOWS)
def follow_request_reject(request: HttpRequest, account_id: int) -> dict[str, Any]:
    """Deny an account's request to follow the viewer; it is not told."""
    owner = request_account(request)
    pending = graph_selectors.follow_request_of(owner=owner, requester_id=account_id)
    graph_services.follow_request_deny(owner=owner, request_id=pending.pk)
    return _relationship(owner, account_id)


def _relationship(user: User, account_id: int) -> dict[str, Any]:
    return relationship_entity(account_id, relation_to(user, account_id))
