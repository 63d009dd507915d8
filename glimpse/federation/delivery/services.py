"""Delivery's writes: record an activity's deliveries, make one attempt, pick up the lost.

The row is the source of truth. ``next_attempt_at`` says when a delivery may be tried next;
``lease_until`` says until when a job has it in hand: a job queued to wake it (its time plus
``GLIMPSE_FEDERATION_REQUEUE_AFTER``), or a job sending it (state ``sending``, the fetch
deadline plus a margin). A job that finds the row not due, already sent, or being sent by
another does nothing, so a duplicated job never sends twice; the periodic job queues again
the deliveries that are due and in no job's hands (a worker killed, a wait too long to
leave in the broker).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import orjson
from django.conf import settings
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.core import clock
from glimpse.core.jobs import enqueue
from glimpse.core.site import site_url
from glimpse.federation.delivery import metrics, selectors
from glimpse.federation.delivery.backoff import retry_delay, retry_span
from glimpse.federation.delivery.sending import Attempt, SignerCopy, post_activity
from glimpse.federation.delivery.servers import server_failed, server_gate, server_reached
from glimpse.federation.domain_policy import domain_suspended
from glimpse.federation.models import Delivery, DeliveryState, OutgoingActivity
from glimpse.federation.switch import federation_enabled

# Waits longer than this are not left in the broker as a countdown (a Redis broker hands a
# message out again after its visibility timeout, and workers hold such messages in memory):
# the periodic job wakes those deliveries when they come due.
LONGEST_COUNTDOWN = 15 * 60
# A sending job holds its delivery this long beyond the fetch's own deadline.
SEND_MARGIN = 60
REQUEUE_BATCH = 1000

SKIPPED = "skipped"
POSTPONED = "postponed"
DELIVERED = "delivered"
RETRIED = "retried"
FAILED = "failed"


def current_time() -> datetime:
    """Return the product's clock as an aware datetime (tests move this clock)."""
    return datetime.fromtimestamp(clock.now(), tz=UTC)


def deliver_activity(
    *,
    activity: dict[str, Any],
    actor: User | None,
    inboxes: Iterable[str],
    signer: SignerCopy | None = None,
) -> int:
    """Record one delivery per distinct remote inbox and queue each; return how many.

    ``actor`` signs (None: the instance's actor), or ``signer``, a copy of the key of an
    account being erased (``actor`` is then None: the row must outlive the account).
    Callers pass each recipient's shared inbox when it has one; exact duplicates go once,
    and inboxes of this server are left out. Nothing is delivered while federation is off.
    """
    if not federation_enabled():
        return 0
    targets = _remote_inboxes(inboxes)
    if not targets:
        return 0
    now = current_time()
    with transaction.atomic():
        outgoing = OutgoingActivity.objects.create(
            actor=None if signer is not None else actor,
            body=orjson.dumps(activity).decode(),
            created_at=now,
            signer_key_id=signer.key_id if signer is not None else "",
            signer_private_pem=signer.private_pem if signer is not None else "",
        )
        deliveries = [
            Delivery(activity=outgoing, inbox=inbox, domain=domain, created_at=now)
            for inbox, domain in targets.items()
        ]
        for delivery in deliveries:
            _schedule(delivery, at=now, now=now)
        Delivery.objects.bulk_create(deliveries)
    return len(deliveries)


def delivery_attempt(*, delivery_id: int) -> str:
    """Try one delivery if it is due and no other job has it; return the outcome."""
    claimed = _claim(delivery_id)
    if isinstance(claimed, str):
        return claimed
    outgoing = claimed.activity
    signer = (
        SignerCopy(outgoing.signer_key_id, outgoing.signer_private_pem)
        if outgoing.signer_private_pem
        else None
    )
    attempt = post_activity(
        inbox=claimed.inbox, body=outgoing.body.encode(), actor=outgoing.actor, signer=signer
    )
    metrics.request_timed(attempt.seconds)
    outcome = _record(claimed, attempt)
    metrics.delivery_counted(outcome)
    return outcome


def deliveries_requeue_due() -> int:
    """Queue again the deliveries due that no job has in hand; return how many.

    Rows are locked and skipped when locked, and leased before they are queued, so that
    two runs at once, or one after the other, never queue one delivery twice.
    """
    metrics.backlog_counted(
        pending=selectors.deliveries_waiting_count(),
        servers_down=selectors.servers_down_count(),
    )
    signer_copies_forget()
    if not federation_enabled():
        return 0
    now = current_time()
    with transaction.atomic():
        ids = list(
            selectors.deliveries_unattended(now=now)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:REQUEUE_BATCH]
        )
        Delivery.objects.filter(pk__in=ids).update(
            state=DeliveryState.PENDING, lease_until=now + _requeue_after()
        )
        for delivery_id in ids:
            _wake_on_commit(delivery_id, countdown=0)
    return len(ids)


def signer_copies_forget() -> int:
    """Blank the key copies of activities whose deliveries are all finished; return how many."""
    return (
        OutgoingActivity.objects.exclude(signer_private_pem="")
        .exclude(deliveries__state__in=selectors.WAITING)
        .update(signer_private_pem="")
    )


def _claim(delivery_id: int) -> Delivery | str:
    """Mark a due delivery as being sent by this job, postpone it, or say why not."""
    now = current_time()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("activity", "activity__actor")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state in (DeliveryState.DELIVERED, DeliveryState.FAILED):
            return SKIPPED
        leased = delivery.lease_until is not None and delivery.lease_until > now
        if delivery.state == DeliveryState.SENDING and leased:
            return SKIPPED  # another job is sending it
        if delivery.next_attempt_at > now or not federation_enabled():
            return SKIPPED
        if domain_suspended(delivery.domain):
            _fail(delivery, now, f"{delivery.domain} is suspended by this server's moderators")
            metrics.delivery_counted(FAILED)
            return FAILED
        probe_at = server_gate(domain=delivery.domain, now=now)
        if probe_at is not None:
            if probe_at > _give_up_at(delivery):
                _fail(delivery, now, f"{delivery.domain} is down; {delivery.last_error}")
                metrics.delivery_counted(FAILED)
                return FAILED
            _schedule(delivery, at=probe_at, now=now)
            delivery.state = DeliveryState.PENDING
            delivery.save()
            metrics.delivery_counted(POSTPONED)
            return POSTPONED
        delivery.state = DeliveryState.SENDING
        delivery.attempts += 1
        delivery.lease_until = now + timedelta(
            seconds=settings.GLIMPSE_FEDERATION_FETCH_DEADLINE + SEND_MARGIN
        )
        delivery.save()
    return delivery


def _record(claimed: Delivery, attempt: Attempt) -> str:
    """Write down what an attempt came to, and what the server's health becomes."""
    now = current_time()
    revived = False
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=claimed.pk).first()
        if (
            delivery is None
            or delivery.state != DeliveryState.SENDING
            or delivery.attempts != claimed.attempts
        ):
            return SKIPPED  # the lease ran out and another job took the delivery over
        delivery.last_status = attempt.status
        delivery.last_error = attempt.error[:1000]
        if attempt.reached:
            revived = server_reached(domain=delivery.domain, now=now, success=attempt.delivered)
        if attempt.delivered:
            outcome = DELIVERED
            delivery.state = DeliveryState.DELIVERED
            delivery.finished_at = now
            delivery.lease_until = None
            delivery.save()
            metrics.delivered_after((now - delivery.created_at).total_seconds())
        elif not attempt.transient:
            outcome = FAILED
            _fail(delivery, now, attempt.error)
        else:
            server_failed(domain=delivery.domain, now=now)
            outcome = _retry_or_give_up(delivery, attempt, now)
        if revived:
            _requeue_server(delivery.domain, now)
    return outcome


def _retry_or_give_up(delivery: Delivery, attempt: Attempt, now: datetime) -> str:
    """Schedule the next attempt after a transient failure, or fail once the span is over."""
    wait = retry_delay(delivery.attempts)
    if attempt.retry_after is not None:
        wait = max(wait, attempt.retry_after)  # never before the server asked
    at = now + timedelta(seconds=wait)
    if at > _give_up_at(delivery):
        _fail(delivery, now, f"gave up after {delivery.attempts} attempts: {attempt.error}")
        return FAILED
    delivery.state = DeliveryState.PENDING
    _schedule(delivery, at=at, now=now)
    delivery.save()
    return RETRIED


def _requeue_server(domain: str, now: datetime) -> None:
    """Send at once every delivery waiting for a server that is back up."""
    waiting = selectors.deliveries_waiting_for(domain=domain)
    ids = list(waiting.values_list("pk", flat=True))
    waiting.update(next_attempt_at=now, lease_until=now + _requeue_after())
    for delivery_id in ids:
        _wake_on_commit(delivery_id, countdown=0)


def _fail(delivery: Delivery, now: datetime, error: str) -> None:
    """Give a delivery up for good."""
    delivery.state = DeliveryState.FAILED
    delivery.last_error = error[:1000]
    delivery.finished_at = now
    delivery.lease_until = None
    delivery.save()


def _schedule(delivery: Delivery, *, at: datetime, now: datetime) -> None:
    """Set a delivery's next attempt, and queue a job to wake it then when the wait is short
    (a long wait is left to the periodic job: no lease, so that it picks the delivery up)."""
    delivery.next_attempt_at = at
    countdown = max(0.0, (at - now).total_seconds())
    if countdown > LONGEST_COUNTDOWN:
        delivery.lease_until = None
        return
    delivery.lease_until = at + _requeue_after()
    _wake_on_commit(delivery.pk, countdown=countdown, delivery=delivery)


def _wake_on_commit(
    delivery_id: int | None, *, countdown: float, delivery: Delivery | None = None
) -> None:
    """Queue the delivery job once the transaction commits, after ``countdown`` seconds."""
    from glimpse.federation.delivery.tasks import federation_deliver  # it imports this module

    def wake() -> None:
        # A row made by bulk_create has its id only once it is written.
        pk = delivery.pk if delivery is not None else delivery_id
        if countdown <= 0:
            enqueue(federation_deliver, pk)
        elif not settings.CELERY_TASK_ALWAYS_EAGER:
            federation_deliver.apply_async(args=(pk,), countdown=countdown)
        # Jobs run at once without a broker: a later wake-up is the periodic job's.

    transaction.on_commit(wake)


def _give_up_at(delivery: Delivery) -> datetime:
    return delivery.created_at + timedelta(seconds=retry_span())


def _requeue_after() -> timedelta:
    return timedelta(seconds=settings.GLIMPSE_FEDERATION_REQUEUE_AFTER)


def _remote_inboxes(inboxes: Iterable[str]) -> dict[str, str]:
    """Return the distinct inboxes of other servers, in the order given, with their host."""
    local = (urlsplit(site_url()).hostname or "").lower()
    found: dict[str, str] = {}
    for inbox in inboxes:
        if not inbox or inbox in found:
            continue
        try:
            host = (urlsplit(inbox).hostname or "").lower()
        except ValueError:
            host = ""
        if local and host == local:
            continue  # this server's own inbox: never sent over the network
        if domain_suspended(host):
            continue  # a suspended server is sent nothing
        found[inbox] = host[:255]
    return found
