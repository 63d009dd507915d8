"""The nightly roll-up: store each finished UTC day's numbers, so reading stays fast.

Rolling up a day recomputes it from the raw rows and replaces what was stored for it, so
the job may run twice or die halfway: the next run simply does the day again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from glimpse.insights import services
from glimpse.insights.counting import ACCOUNT_FIELDS, POST_FIELDS, day_numbers
from glimpse.insights.models import AccountDay, PostDay, RolledDay

# On the first run, days further back than this are left alone (no window reads them).
FIRST_RUN_DAYS = 90


def insights_rollup(*, now: dt.datetime | None = None) -> list[dt.date]:
    """Flush the buffer, then roll up every finished day not rolled up yet; return them."""
    services.impressions_flush()
    days = rollups_due(now=now)
    for day in days:
        rollup_day(day=day)
    return days


def rollups_due(*, now: dt.datetime | None = None) -> list[dt.date]:
    """Return the finished days (ended ROLLUP_DELAY ago) after the last one rolled up."""
    moment = (now or timezone.now()).astimezone(dt.UTC)
    last_done = (moment - dt.timedelta(seconds=settings.GLIMPSE_INSIGHTS_ROLLUP_DELAY)).date()
    last_done -= dt.timedelta(days=1)
    latest = RolledDay.objects.order_by("-day").values_list("day", flat=True).first()
    first = latest + dt.timedelta(days=1) if latest else last_done - dt.timedelta(FIRST_RUN_DAYS)
    return [first + dt.timedelta(days=n) for n in range((last_done - first).days + 1)]


def rollup_day(*, day: dt.date) -> tuple[int, int]:
    """Recompute and store one day's numbers; return how many posts and accounts had any."""
    numbers = day_numbers(day)
    with transaction.atomic():
        PostDay.objects.filter(day=day).delete()
        AccountDay.objects.filter(day=day).delete()
        PostDay.objects.bulk_create(
            (
                PostDay(
                    post_id=post_id,
                    author_id=values["author_id"],
                    day=day,
                    sources=values["sources"],
                    **{name: values[name] for name in POST_FIELDS},
                )
                for post_id, values in numbers.posts.items()
            ),
            batch_size=1000,
        )
        AccountDay.objects.bulk_create(
            (
                AccountDay(
                    account_id=account_id,
                    day=day,
                    sources=values["sources"],
                    follower_hours=values["follower_hours"],
                    **{name: values[name] for name in ACCOUNT_FIELDS},
                )
                for account_id, values in numbers.accounts.items()
            ),
            batch_size=1000,
        )
        RolledDay.objects.update_or_create(day=day, defaults={"rolled_at": timezone.now()})
    return len(numbers.posts), len(numbers.accounts)
