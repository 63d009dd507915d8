"""Act on a received activity: find its actor's account, hand it to its kind's handler, and
record the outcome on its row (``done``, ``ignored`` with the reason, or ``failed``).

A row already processed is left alone, so a job run twice acts once. A failure that may pass
(the actor's server did not answer while an object was fetched) raises ``TryLater`` and
leaves the row pending for the job to try again.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.federation.fetch import FetchRefused
from glimpse.federation.inbox import metrics
from glimpse.federation.incoming.handlers import registry
from glimpse.federation.models import InboxActivity, InboxState, RemoteActor
from glimpse.federation.remote.parse import RemoteActorInvalid
from glimpse.federation.remote.resolve import ActorNotFound, actor_by_uri

logger = logging.getLogger(__name__)


class TryLater(Exception):
    """Processing met a failure that may pass; the activity stays pending."""


def inbox_activity_process(*, inbox_activity_id: int) -> str:
    """Act on one received activity unless it was already; return its state."""
    row = InboxActivity.objects.filter(pk=inbox_activity_id).first()
    if row is None or row.state != InboxState.PENDING:
        return row.state if row is not None else "missing"
    handler = registry.handler_for(row.body)
    if handler is None:
        return _finish(row, InboxState.IGNORED, f"Glimpse does not act on {row.kind}.")
    try:
        actor = _sender(row)
        handler(registry.Incoming(activity=row.body, actor=actor))
    except registry.Ignored as reason:
        return _finish(row, InboxState.IGNORED, str(reason))
    except FetchRefused as error:
        if error.transient:
            metrics.processed(row.kind, "retried")
            raise TryLater(str(error)) from error
        return _finish(row, InboxState.FAILED, str(error))
    except (RemoteActorInvalid, ActorNotFound) as error:
        return _finish(row, InboxState.FAILED, str(error))
    return _finish(row, InboxState.DONE, "")


def inbox_activity_give_up(*, inbox_activity_id: int, reason: str) -> None:
    """Mark a pending activity failed once its job stops trying."""
    row = InboxActivity.objects.filter(pk=inbox_activity_id, state=InboxState.PENDING).first()
    if row is not None:
        _finish(row, InboxState.FAILED, reason)


def _sender(row: InboxActivity) -> User:
    """Return the account of the activity's actor.

    An actor deleting itself is taken as stored: its server answers 410 Gone for it by
    now, and asking would only make the Delete fail.
    """
    if row.kind == "Delete" and registry.id_of(row.body.get("object")) == row.actor_uri:
        stored = RemoteActor.objects.select_related("user").filter(uri=row.actor_uri).first()
        if stored is not None:
            return stored.user
    return actor_by_uri(row.actor_uri)


def _finish(row: InboxActivity, state: str, error: str) -> str:
    """Record how processing ended."""
    if state == InboxState.FAILED:
        logger.warning("inbox activity %s failed: %s", row.activity_id, error)
    row.state = state
    row.error = error[:2000]
    row.processed_at = timezone.now()
    lag = (row.processed_at - row.received_at).total_seconds()
    metrics.processed(row.kind, state, seconds=lag)
    row.save(update_fields=["state", "error", "processed_at"])
    return state
