"""The JSON shapes of moving accounts in the API."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from ninja import Schema
from pydantic import Field

from glimpse.federation.models import AccountAlias
from glimpse.federation.moves.selectors import MoveState, handle_of


class AliasIn(Schema):
    address: str = Field(
        max_length=2048, description="The old account: its handle (@name@server) or address."
    )


class AliasOut(Schema):
    """An account the viewer moved from."""

    id: str
    handle: str = Field(description="Its handle, @name@server.")
    uri: str = Field(description="Its actor's address, published in alsoKnownAs.")
    created_at: datetime


class AliasListOut(Schema):
    items: list[AliasOut]


class MoveIn(Schema):
    target: str = Field(
        max_length=2048, description="The new account: its handle (@name@server) or address."
    )
    password: str = Field(max_length=4096)


class MoveOut(Schema):
    """Where the viewer's account stands on moving."""

    handle: str = Field(description="This account's handle: list it on the new account.")
    actor_id: str = Field(description="This account's actor address.")
    moved_to: str | None = Field(description="The handle of the account it moved to.")
    moved_at: datetime | None
    next_move_at: datetime | None = Field(description="When it may move again, after a move.")


class AliasJson(TypedDict):
    id: str
    handle: str
    uri: str
    created_at: datetime


class MoveJson(TypedDict):
    handle: str
    actor_id: str
    moved_to: str | None
    moved_at: datetime | None
    next_move_at: datetime | None


def alias_json(alias: AccountAlias) -> AliasJson:
    """Return an alias as the API shows it."""
    return {
        "id": str(alias.pk),
        "handle": handle_of(alias.account),
        "uri": alias.uri,
        "created_at": alias.created_at,
    }


def move_json(state: MoveState) -> MoveJson:
    """Return an account's move state as the API shows it."""
    return {
        "handle": state.handle,
        "actor_id": state.actor_id,
        "moved_to": handle_of(state.moved_to) if state.moved_to else None,
        "moved_at": state.moved_at,
        "next_move_at": state.next_move_at,
    }
