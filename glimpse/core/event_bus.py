"""Deliver events to the apps that subscribed to them, once the transaction commits.

A lower app publishes an event (``glimpse.core.events``) where it would otherwise have to
call a higher app; the higher app subscribes in its ``AppConfig.ready()``. Delivery follows
``transaction.on_commit``: after the outermost transaction commits, at once when none is
open, and never after a rollback (nor for an event published inside a savepoint that rolled
back). Subscribers run in the order they subscribed. One that raises is logged with the
event and its name, and counted (``glimpse_event_handler_failures_total``); the others
still run, and the data the publisher committed stays as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction

from glimpse.core import metrics
from glimpse.core.events import Event

logger = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)
S = TypeVar("S")


@dataclass(frozen=True)
class Subscription:
    """One subscriber of one event type; ``snapshot`` runs at publish time when set."""

    name: str
    handler: Callable[..., object]
    snapshot: Callable[[Any], object] | None = None


class _Failed:
    """The result of a snapshot that raised: its handler is not called."""


_FAILED = _Failed()


class EventBus:
    """Subscriptions by event type, and their delivery after commit."""

    def __init__(self) -> None:
        self._subscriptions: dict[type[Event], list[Subscription]] = {}

    def subscribe(self, event_type: type[E], handler: Callable[[E], object]) -> None:
        """Call ``handler(event)`` after commit for each event of this type (once per handler)."""
        self._add(event_type, Subscription(_name_of(handler), handler))

    def subscribe_with_snapshot(
        self,
        event_type: type[E],
        *,
        snapshot: Callable[[E], S],
        handler: Callable[[E, S], object],
    ) -> None:
        """Subscribe a handler that needs the state as it was before the change.

        ``snapshot(event)`` runs when the event is published, inside the publisher's
        transaction (publishers of such events publish before they write); its result is
        handed to ``handler(event, result)`` after commit.
        """
        self._add(event_type, Subscription(_name_of(handler), handler, snapshot))

    def publish(self, event: Event) -> None:
        """Deliver the event to its subscribers once the current transaction commits."""
        subscriptions = tuple(self._subscriptions.get(type(event), ()))
        if not subscriptions:
            return
        taken = [self._snapshot(event, subscription) for subscription in subscriptions]
        transaction.on_commit(lambda: self._deliver(event, subscriptions, taken))

    def subscribers(self, event_type: type[Event]) -> list[str]:
        """Return the names of the subscribers of an event type, in delivery order."""
        return [subscription.name for subscription in self._subscriptions.get(event_type, ())]

    def _add(self, event_type: type[Event], subscription: Subscription) -> None:
        subscribed = self._subscriptions.setdefault(event_type, [])
        # AppConfig.ready() may run twice (tests, management commands): once is enough.
        if all(known.name != subscription.name for known in subscribed):
            subscribed.append(subscription)

    def _snapshot(self, event: Event, subscription: Subscription) -> object:
        if subscription.snapshot is None:
            return None
        try:
            # In a savepoint: a failing query must not break the publisher's transaction.
            with _savepoint():
                return subscription.snapshot(event)
        except Exception:
            _failed(event, subscription)
            return _FAILED

    def _deliver(
        self, event: Event, subscriptions: Sequence[Subscription], taken: Sequence[object]
    ) -> None:
        for subscription, snapshot in zip(subscriptions, taken, strict=True):
            if snapshot is _FAILED:
                continue
            try:
                if subscription.snapshot is None:
                    subscription.handler(event)
                else:
                    subscription.handler(event, snapshot)
            except Exception:
                _failed(event, subscription)


bus = EventBus()


def subscribe(event_type: type[E], handler: Callable[[E], object]) -> None:
    """Call ``handler(event)`` after commit for each event of this type (once per handler)."""
    bus.subscribe(event_type, handler)


def subscribe_with_snapshot(
    event_type: type[E], *, snapshot: Callable[[E], S], handler: Callable[[E, S], object]
) -> None:
    """Subscribe a handler that gets, after commit, what ``snapshot`` saw at publish time."""
    bus.subscribe_with_snapshot(event_type, snapshot=snapshot, handler=handler)


def publish(event: Event) -> None:
    """Deliver the event to its subscribers once the current transaction commits."""
    bus.publish(event)


def _name_of(handler: Callable[..., object]) -> str:
    return f"{handler.__module__}.{getattr(handler, '__qualname__', repr(handler))}"


def _savepoint() -> AbstractContextManager[object]:
    return transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()


def _failed(event: Event, subscription: Subscription) -> None:
    logger.exception("event subscriber %s failed on %r", subscription.name, event)
    metrics.event_handler_failed(event=type(event).__name__, handler=subscription.name)
