"""Helpers of the outgoing tests: accounts of the test server following local ones, what
arrived at its inboxes by host name, and the signature check of what arrived."""

from __future__ import annotations

from typing import Any

from glimpse.accounts.models import User
from glimpse.federation.actors import actor_id
from glimpse.federation.keys import actor_key
from glimpse.federation.remote.resolve import actor_by_uri
from glimpse.federation.signatures import PublicKeyInfo, verify_request
from glimpse.graph.models import FollowRequest
from glimpse.graph.services import follow_create, follow_request_approve
from tests.federation.remote_server import Peer, Remote, Seen, peer

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def remote_account(remote: Remote, name: str, *, host: str = "remote.test") -> tuple[Peer, User]:
    """Serve an actor on the test server and store it here as an account."""
    found = peer(remote, name, host=host)
    return found, actor_by_uri(found.uri)


def follows(follower: User, followee: User) -> None:
    """Make ``follower`` follow ``followee``, approving the request of a private account."""
    if follow_create(follower=follower, followee=followee) == "requested":
        request = FollowRequest.objects.get(requester=follower, target=followee)
        follow_request_approve(owner=followee, request_id=request.pk)


def arrived(remote: Remote, *, host: str = "remote.test", path: str = "/inbox") -> list[Seen]:
    """Return the POSTs that reached a path of the test server under one of its names."""
    return [
        seen
        for seen in remote.seen
        if seen.method == "POST"
        and seen.path == path
        and seen.headers.get("host", "").split(":")[0] == host
    ]


def bodies(remote: Remote, *, host: str = "remote.test", path: str = "/inbox") -> list[Any]:
    """Return the JSON of the activities that reached a path under one name, in order."""
    return [seen.json() for seen in arrived(remote, host=host, path=path)]


def signed_by(seen: Seen, remote: Remote, user: User, *, public_pem: str | None = None) -> bool:
    """Tell whether a request that arrived is signed by a local account's key."""
    owner = actor_id(user.username)
    public = public_pem or actor_key(user).public_pem

    def lookup(key_id: str, refresh: bool) -> PublicKeyInfo | None:
        return PublicKeyInfo(public, owner) if key_id == f"{owner}#main-key" else None

    host = seen.headers["host"]
    verified = verify_request(
        method="POST",
        url=f"http://{host}{seen.path}",
        headers=seen.headers,
        body=seen.body,
        key_lookup=lookup,
    )
    return verified.actor_id == owner
