"""A local account's aliases: the accounts it moved from, each found when it is added.

An account on another server may move its followers here only to an account that lists it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import Conflict, InvalidInput, NotFound
from glimpse.federation.models import AccountAlias
from glimpse.federation.moves.finding import account_find
from glimpse.federation.recipients import actor_uri_of

# A few are enough for anyone who moved more than once; the Person document carries them all.
MAX_ALIASES = 5


def alias_add(*, user: User, address: str) -> AccountAlias:
    """List the account at ``address`` as one this account moved from; twice is fine."""
    found = account_find(address=address, field="address")
    if found.pk == user.pk:
        raise InvalidInput(fields={"address": ["That is this account. Give your old account."]})
    uri = actor_uri_of(found)
    with transaction.atomic():
        # Locked: two additions at once cannot both pass the limit.
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
        known = AccountAlias.objects.filter(user=user, uri=uri).first()
        if known is not None:
            return known
        if AccountAlias.objects.filter(user=user).count() >= MAX_ALIASES:
            raise Conflict(
                f"An account has at most {MAX_ALIASES} aliases. Remove one you no longer need.",
                code="too_many_aliases",
            )
        return AccountAlias.objects.create(
            user=user, account=found, uri=uri, created_at=timezone.now()
        )


def alias_remove(*, user: User, alias_id: int) -> None:
    """Stop listing one of the account's aliases."""
    deleted, _ = AccountAlias.objects.filter(pk=alias_id, user=user).delete()
    if not deleted:
        raise NotFound("No alias with this id.")
