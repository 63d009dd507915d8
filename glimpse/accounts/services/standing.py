"""An account's standing: active again when a suspension ends, suspended, banned."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from glimpse.accounts.cards import account_cards_forget_on_commit
from glimpse.accounts.models import User
from glimpse.core.event_bus import publish
from glimpse.core.events import (
    AccountBanned,
    AccountDeactivated,
    AccountReactivated,
    AccountSuspended,
)


def account_activity_refresh(*, user: User) -> User:
    """Derive ``is_active`` from the account's states and save it if it changed.

    An account is active unless it is banned, suspended until a time still to come, or
    waiting for its deletion. Becoming inactive publishes why (its open sockets end),
    becoming active again publishes that; either way its cached card is dropped. Call it
    inside the transaction that changed a state.
    """
    suspended = user.suspended_until is not None and user.suspended_until > timezone.now()
    active = user.banned_at is None and not suspended and user.deletion_requested_at is None
    if active != user.is_active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        account_cards_forget_on_commit(user.pk)
        if user.banned_at is not None:
            publish(AccountBanned(account_id=user.pk))
        elif suspended:
            publish(AccountSuspended(account_id=user.pk))
        elif user.deletion_requested_at is not None:
            publish(AccountDeactivated(account_id=user.pk))
        else:
            publish(AccountReactivated(account_id=user.pk))
    return user


def account_suspend(*, user: User, until: datetime) -> User:
    """Suspend an account until a time (a moderator's decision): it is inactive until then."""
    with transaction.atomic():
        user.suspended_until = until
        user.save(update_fields=["suspended_until"])
        return account_activity_refresh(user=user)


def account_suspension_lift(*, user: User) -> User:
    """End an account's suspension now (a ban or a pending deletion still keeps it inactive)."""
    with transaction.atomic():
        user.suspended_until = None
        user.save(update_fields=["suspended_until"])
        return account_activity_refresh(user=user)


def account_ban(*, user: User) -> User:
    """Ban an account for good (a moderator's decision): it is inactive from now on."""
    with transaction.atomic():
        user.banned_at = timezone.now()
        user.save(update_fields=["banned_at"])
        return account_activity_refresh(user=user)


def account_suspensions_end() -> int:
    """Make active again the accounts whose suspension has ended; return how many."""
    ended = User.objects.filter(
        is_active=False, suspended_until__lte=timezone.now(), banned_at__isnull=True
    ).filter(deletion_requested_at__isnull=True)
    count = 0
    for user_id in list(ended.values_list("pk", flat=True)):
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=user_id).first()
            if user is not None and account_activity_refresh(user=user).is_active:
                count += 1
    return count
