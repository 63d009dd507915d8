"""Where an account stopped reading its home timeline and its notifications, shared by its
apps (Mastodon's markers). Moving the notifications marker also marks them read, so that
Glimpse's own badge agrees with the apps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.mastodon.content import timestamp
from glimpse.mastodon.models import ReadMarker, Timeline
from glimpse.notifications import services as notification_services


def markers_get(*, user: User, timelines: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return the account's markers of the timelines asked for that it has, by timeline."""
    wanted = [name for name in timelines if name in Timeline.values]
    found = ReadMarker.objects.filter(user=user, timeline__in=wanted)
    return {marker.timeline: _marker_json(marker) for marker in found}


def markers_set(*, user: User, positions: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """Move the account's markers to these last read ids; return them as now kept."""
    for name, last_read_id in positions.items():
        with transaction.atomic():
            _, made = ReadMarker.objects.get_or_create(
                user=user, timeline=name, defaults={"last_read_id": last_read_id}
            )
            if not made:
                ReadMarker.objects.filter(user=user, timeline=name).update(
                    last_read_id=last_read_id, version=F("version") + 1, updated_at=timezone.now()
                )
        if name == Timeline.NOTIFICATIONS:
            notification_services.notifications_mark_read_through(
                recipient=user, actor_row_id=last_read_id
            )
    return markers_get(user=user, timelines=positions)


def _marker_json(marker: ReadMarker) -> dict[str, Any]:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": timestamp(marker.updated_at),
    }
