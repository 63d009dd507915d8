"""Account deletion with a grace period: request it, purge it after.

Logging in before the date cancels it (``accounts.services.account_deletion_cancel``: it
only touches the account's own fields, and the log-in needs its answer).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services import account_activity_refresh
from glimpse.core.errors import InvalidInput
from glimpse.privacy.erase import account_erase, storage_sweeps_run
from glimpse.realtime import sockets as realtime


def account_deletion_request(*, user: User, password: str) -> datetime:
    """Schedule the account's deletion after checking its password; return when it happens.

    The account turns inactive at once (hidden from everyone, sessions and sockets ended)
    and every API token is revoked; logging in again before the date cancels the deletion.
    """
    if not user.check_password(password):
        raise InvalidInput(fields={"password": ["This is not your password."]})
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        if locked.deletion_requested_at is None:
            locked.deletion_requested_at = now
            locked.save(update_fields=["deletion_requested_at"])
        account_activity_refresh(user=locked)
        tokens = locked.api_tokens.filter(revoked_at__isnull=True)
        revoked = list(tokens.values_list("pk", flat=True))
        tokens.update(revoked_at=now)
        realtime.tokens_revoked_on_commit(locked.pk, revoked)
    user.deletion_requested_at, user.is_active = locked.deletion_requested_at, locked.is_active
    return deletion_due_at(locked)


def deletion_due_at(user: User) -> datetime:
    """Return when a scheduled deletion of the account will be carried out."""
    assert user.deletion_requested_at is not None
    return user.deletion_requested_at + timedelta(days=settings.GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS)


def accounts_purge_due(*, limit: int = 100) -> int:
    """Erase the accounts whose grace period is over; return how many were erased.

    Each account goes in its own transaction, re-checked under a lock so that a log-in that
    cancelled the deletion meanwhile wins. Running it twice, or after a killed run, finishes
    the work and erases nothing twice.
    """
    cutoff = timezone.now() - timedelta(days=settings.GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS)
    due = User.objects.filter(deletion_requested_at__lte=cutoff).order_by("deletion_requested_at")
    erased = 0
    for user_id in list(due.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            user = (
                User.objects.select_for_update(no_key=True)
                .filter(pk=user_id, deletion_requested_at__lte=cutoff)
                .first()
            )
            if user is None:
                continue
            account_erase(user=user)
            erased += 1
    # Files of an earlier run that was killed after its commit.
    storage_sweeps_run()
    return erased
