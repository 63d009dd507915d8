"""Moving accounts in the API: the viewer's aliases (accounts it moved from), and moving it
to another account. Under ``/accounts/me/`` with the accounts tag, as part of the account."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from glimpse.accounts.auth import api_auth, request_user
from glimpse.accounts.models import User
from glimpse.core.api import errors
from glimpse.core.errors import NotFound
from glimpse.federation.moves import aliases, selectors, services
from glimpse.federation.moves.schemas import (
    AliasIn,
    AliasJson,
    AliasListOut,
    AliasOut,
    MoveIn,
    MoveJson,
    MoveOut,
    alias_json,
    move_json,
)
from glimpse.federation.switch import federation_enabled

router = Router(tags=["accounts"])

OFF = "This server does not connect to other servers, so accounts cannot move."


@router.get("/me/aliases", auth=api_auth, response={200: AliasListOut, **errors(401, 404)})
def alias_list(request: HttpRequest) -> dict[str, list[AliasJson]]:
    """The accounts the viewer moved from, which may move their followers to it."""
    user = _owner(request)
    return {"items": [alias_json(alias) for alias in selectors.aliases_of(user=user)]}


@router.post("/me/aliases", auth=api_auth, response={201: AliasOut, **errors(401, 404, 409, 422)})
def alias_add(request: HttpRequest, payload: AliasIn) -> Status[AliasJson]:
    """List an old account as one the viewer moved from (found on its server first)."""
    alias = aliases.alias_add(user=_owner(request), address=payload.address)
    return Status(201, alias_json(alias))


@router.delete(
    "/me/aliases/{alias_id}", auth=api_auth, response={204: None, **errors(401, 404, 422)}
)
def alias_remove(request: HttpRequest, alias_id: int) -> Status[None]:
    """Stop listing an old account among the viewer's aliases."""
    aliases.alias_remove(user=_owner(request), alias_id=alias_id)
    return Status(204, None)


@router.get("/me/move", auth=api_auth, response={200: MoveOut, **errors(401, 404)})
def move_state(request: HttpRequest) -> MoveJson:
    """Where the viewer's account stands on moving: its handle, and its move if it moved."""
    return move_json(selectors.move_state(user=_owner(request)))


@router.post("/me/move", auth=api_auth, response={200: MoveOut, **errors(401, 404, 409, 422)})
def move(request: HttpRequest, payload: MoveIn) -> MoveJson:
    """Move the viewer's account to another one, which lists it as an alias; the password
    confirms it. Followers follow the new account; this one no longer posts."""
    user = _owner(request)
    services.account_move(user=user, target=payload.target, password=payload.password)
    return move_json(selectors.move_state(user=user))


def _owner(request: HttpRequest) -> User:
    """Return the caller, while the server federates (moves need other servers)."""
    if not federation_enabled():
        raise NotFound(OFF)
    return request_user(request)
