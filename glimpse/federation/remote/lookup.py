"""Finding an account of another server for a person's search: a handle asked of its server
through WebFinger, or an actor's or profile's address fetched, within
``GLIMPSE_FEDERATION_LOOKUP_SECONDS`` in all, every failure told in words the person can act
on. Search calls it through the finder registered when the app starts.

Addresses of posts are not looked up here: an address that is no actor finds no account.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.federation.fetch import FetchRefused, fetch_deadline
from glimpse.federation.models import RemoteActor
from glimpse.federation.remote.parse import RemoteActorInvalid
from glimpse.federation.remote.resolve import ActorNotFound, actor_by_handle, actor_by_uri
from glimpse.federation.switch import federation_enabled
from glimpse.search.remote import RemoteLookupFailed, missing_notice

# Answers that say the other server has no such account (rather than that it failed).
_MISSING_STATUSES = frozenset({404, 410})


def remote_account_lookup(target: str) -> User | None:
    """Return the account a handle (``name@host``) or an http(s) address names, asking its
    server when it is not known; None while federation is off (nothing is asked).

    Raises ``RemoteLookupFailed`` saying what went wrong.
    """
    if not federation_enabled():
        return None
    is_address = "://" in target
    host = (urlsplit(target).netloc if is_address else target.partition("@")[2]).lower()
    try:
        with fetch_deadline(settings.GLIMPSE_FEDERATION_LOOKUP_SECONDS):
            return _by_address(target) if is_address else actor_by_handle(target)
    except ActorNotFound as error:
        raise RemoteLookupFailed(missing_notice(target)) from error
    except RemoteActorInvalid as error:
        if is_address:  # a post's page, or anything else that is no account
            raise RemoteLookupFailed(missing_notice(target)) from error
        raise RemoteLookupFailed(f"{host} answered with an account Glimpse cannot read.") from error
    except FetchRefused as error:
        if error.status in _MISSING_STATUSES:
            raise RemoteLookupFailed(missing_notice(target)) from error
        raise RemoteLookupFailed(
            f"Couldn't reach {host}. Check the address, or try again later."
        ) from error


def _by_address(address: str) -> User:
    """Return the account of an actor's address, or of a profile page already known."""
    # A profile page (https://host/@name) is not the actor's id: once its actor is stored,
    # the page finds it without another request while it is fresh.
    known = RemoteActor.objects.filter(url=address).values_list("uri", flat=True).first()
    return actor_by_uri(known or address)
