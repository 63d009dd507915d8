"""Find the account a person names by its handle or its actor's address, with the error
they should read when it cannot be found."""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput
from glimpse.federation.fetch import FetchRefused
from glimpse.federation.remote.parse import RemoteActorInvalid
from glimpse.federation.remote.resolve import ActorNotFound, actor_by_handle, actor_by_uri


def account_find(*, address: str, field: str, refresh: bool = False) -> User:
    """Return the account ``@name@host`` or an actor's address names; raise ``InvalidInput``
    on ``field`` saying what to do when none answers."""
    address = address.strip()
    if not address:
        raise InvalidInput(fields={field: ["Give the account's handle, like @name@server."]})
    try:
        if address.startswith(("https://", "http://")):
            return actor_by_uri(address, refresh=refresh)
        return actor_by_handle(address, refresh=refresh)
    except FetchRefused as error:
        if error.transient:
            message = f"The server of {address} did not answer. Try again in a few minutes."
        else:
            message = f"No account answers to {address}. Check the handle (@name@server)."
        raise InvalidInput(fields={field: [message]}) from error
    except (ActorNotFound, RemoteActorInvalid) as error:
        message = f"No account answers to {address}. Check the handle (@name@server)."
        raise InvalidInput(fields={field: [message]}) from error
