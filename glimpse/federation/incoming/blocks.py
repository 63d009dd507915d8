"""``Block`` of a local account by a remote one, and its ``Undo``, through the graph's
services: the block hides each from the other and ends their follows, as any block does."""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError
from glimpse.federation.actors import local_host
from glimpse.federation.incoming.registry import Ignored, Incoming, handles, id_of
from glimpse.federation.incoming.undo import undone_activity
from glimpse.federation.remote.resolve import ActorNotFound, actor_by_uri
from glimpse.federation.signatures.common import authority
from glimpse.graph.services import block_create, block_delete


@handles("Block")
def block(incoming: Incoming) -> None:
    """Block a local account as the remote account."""
    blocked = _local_account(incoming.object_id)
    try:
        block_create(blocker=incoming.actor, blocked=blocked)
    except GlimpseError as error:
        raise Ignored(f"refused: {error.message}") from error


@handles("Undo/Block")
def unblock(incoming: Incoming) -> None:
    """Take back the remote account's block."""
    blocked = _local_account(id_of(undone_activity(incoming).get("object")))
    try:
        block_delete(blocker=incoming.actor, blocked=blocked)
    except GlimpseError as error:
        raise Ignored(f"refused: {error.message}") from error


def _local_account(uri: str | None) -> User:
    """Return the account of this server an actor id names; ``Ignored`` for anything else."""
    if not uri or authority(uri) != local_host():
        raise Ignored("it names no account of this server")
    try:
        return actor_by_uri(uri)
    except ActorNotFound as error:
        raise Ignored("it names no account of this server") from error
