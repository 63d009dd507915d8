"""Who may write to whom: the messaging settings, requests, and the daily limit on them.

A conversation reaches an account only if it takes messages from the sender (its setting:
everyone, the people it follows, nobody new). It lands in the account's Requests unless the
account follows the sender. Starting conversations that land in Requests is limited per day
(spam); the limit is answered with 429 and how long to wait.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import RateLimited
from glimpse.graph.models import Follow
from glimpse.messages.models import Member, MessagingSettings

DAY = timedelta(days=1)


def refusing(sender: User, accounts: Iterable[User]) -> list[User]:
    """Return those of the accounts that take no new conversation from the sender."""
    accounts = [account for account in accounts if account.pk != sender.pk]
    ids = [account.pk for account in accounts]
    choices = dict(
        MessagingSettings.objects.filter(account_id__in=ids).values_list("account_id", "allow_from")
    )
    following = _following_sender(sender, ids)
    refused = []
    for account in accounts:
        allow = choices.get(account.pk, MessagingSettings.AllowFrom.EVERYONE)
        if allow == MessagingSettings.AllowFrom.NOBODY or (
            allow == MessagingSettings.AllowFrom.FOLLOWING and account.pk not in following
        ):
            refused.append(account)
    return refused


def accepting_ids(sender: User, account_ids: Iterable[int]) -> set[int]:
    """Return the accounts for which a conversation from the sender skips Requests: those
    that follow the sender."""
    return _following_sender(sender, list(account_ids))


def requests_limit_check(sender: User, *, new_requests: int) -> None:
    """Refuse (429) a conversation that would put the sender over its daily number of
    conversations started in strangers' Requests."""
    if new_requests == 0:
        return
    limit = settings.GLIMPSE_MESSAGE_REQUESTS_PER_DAY
    since = timezone.now() - DAY
    started = Member.objects.filter(
        conversation__created_by=sender, accepted=False, joined_at__gte=since
    ).order_by("joined_at")
    count = started.count()
    if count + new_requests <= limit:
        return
    oldest = started.values_list("joined_at", flat=True).first() or timezone.now()
    wait = int((oldest + DAY - timezone.now()).total_seconds()) + 1
    raise RateLimited(
        f"You started {limit} conversations with people who don't follow you today. "
        "Try again later.",
        retry_after=wait,
    )


def _following_sender(sender: User, ids: list[int]) -> set[int]:
    """Return which of these accounts follow the sender."""
    return set(
        Follow.objects.filter(followee=sender, follower_id__in=ids).values_list(
            "follower_id", flat=True
        )
    )
