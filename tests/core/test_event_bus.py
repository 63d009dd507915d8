"""The event bus: delivery after commit, in order, once; failures isolated; the apps' wiring."""

from __future__ import annotations

import dataclasses
import inspect
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from prometheus_client import REGISTRY

from glimpse.accounts.models import User
from glimpse.core import event_bus, events
from glimpse.core.event_bus import EventBus
from glimpse.core.events import Event, MediaRendered, PostPublished
from glimpse.notifications.models import Notification

Seen = list[tuple[str, Event]]


def recorder(seen: Seen, name: str) -> Callable[[Event], None]:
    """Return a handler that notes its name and the event it got."""

    def handler(event: Event) -> None:
        seen.append((name, event))

    handler.__qualname__ = name
    return handler


def failing(event: Event) -> None:
    raise RuntimeError("this subscriber is broken")


def failures(handler: Callable[..., object], event: str = "MediaRendered") -> float:
    """Return how many failures of this handler on this event were counted so far."""
    name = f"{handler.__module__}.{handler.__qualname__}"
    labels = {"event": event, "handler": name}
    return REGISTRY.get_sample_value("glimpse_event_handler_failures_total", labels) or 0.0


def make_account(name: str) -> User:
    return User.objects.create(username=name, email=f"{name}@example.com")


class Abort(Exception):
    """Raised to roll a block back."""


def rolled_back(*actions: Callable[[], object]) -> None:
    """Run the actions in an atomic block that then fails, so that it rolls back."""
    with transaction.atomic():
        for action in actions:
            action()
        raise Abort


# --- Delivery -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_subscribers_run_in_the_order_they_subscribed() -> None:
    bus, seen = EventBus(), Seen()
    for name in ("first", "second", "third"):
        bus.subscribe(MediaRendered, recorder(seen, name))
    bus.subscribe(PostPublished, recorder(seen, "other type"))
    event = MediaRendered(media_id=7)
    with transaction.atomic():
        bus.publish(event)
    assert seen == [("first", event), ("second", event), ("third", event)]


@pytest.mark.django_db(transaction=True)
def test_delivered_once_after_the_commit_and_not_before() -> None:
    bus, seen = EventBus(), Seen()
    bus.subscribe(MediaRendered, recorder(seen, "only"))
    with transaction.atomic():
        bus.publish(MediaRendered(media_id=1))
        make_account("ana")
        assert seen == []  # still inside the transaction
    assert seen == [("only", MediaRendered(media_id=1))]
    with transaction.atomic():
        make_account("bo")  # a later transaction delivers nothing again
    assert len(seen) == 1


@pytest.mark.django_db(transaction=True)
def test_delivered_at_once_outside_a_transaction() -> None:
    bus, seen = EventBus(), Seen()
    bus.subscribe(MediaRendered, recorder(seen, "only"))
    bus.publish(MediaRendered(media_id=2))
    assert seen == [("only", MediaRendered(media_id=2))]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_delivered_after_a_rollback() -> None:
    bus, seen = EventBus(), Seen()
    bus.subscribe(MediaRendered, recorder(seen, "only"))
    with pytest.raises(Abort):
        rolled_back(lambda: make_account("ana"), lambda: bus.publish(MediaRendered(media_id=3)))
    assert seen == []
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_nested_blocks_deliver_after_the_outermost_commit_and_drop_a_rolled_back_one() -> None:
    bus, seen = EventBus(), Seen()
    bus.subscribe(MediaRendered, recorder(seen, "only"))
    with transaction.atomic():
        with transaction.atomic():
            bus.publish(MediaRendered(media_id=1))
        assert seen == []  # the inner block ended, the transaction did not
        with pytest.raises(Abort):
            rolled_back(lambda: bus.publish(MediaRendered(media_id=2)))
        bus.publish(MediaRendered(media_id=3))
    assert [event for _, event in seen] == [MediaRendered(media_id=1), MediaRendered(media_id=3)]


@pytest.mark.django_db(transaction=True)
def test_an_event_nobody_subscribed_to_is_dropped() -> None:
    bus = EventBus()
    with transaction.atomic():
        bus.publish(MediaRendered(media_id=1))
        assert transaction.get_connection().run_on_commit == []


# --- Failures -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_is_logged_and_counted_and_stops_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus, seen = EventBus(), Seen()
    bus.subscribe(MediaRendered, recorder(seen, "before"))
    bus.subscribe(MediaRendered, failing)
    bus.subscribe(MediaRendered, recorder(seen, "after"))
    counted = failures(failing)
    event = MediaRendered(media_id=42)
    with caplog.at_level(logging.ERROR, logger="glimpse.core.event_bus"), transaction.atomic():
        make_account("ana")
        bus.publish(event)
    assert [name for name, _ in seen] == ["before", "after"]
    assert User.objects.filter(username="ana").exists()  # the commit stands
    [record] = caplog.records
    assert "test_event_bus.failing" in record.getMessage()
    assert "MediaRendered(media_id=42)" in record.getMessage()
    assert record.exc_info is not None
    assert failures(failing) == counted + 1


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_runs_at_publish_time_and_reaches_its_handler_after_commit() -> None:
    bus = EventBus()
    seen: list[tuple[list[str], list[str]]] = []

    def accounts_now(event: MediaRendered) -> list[str]:
        return sorted(User.objects.values_list("username", flat=True))

    def handler(event: MediaRendered, before: list[str]) -> None:
        seen.append((before, sorted(User.objects.values_list("username", flat=True))))

    bus.subscribe_with_snapshot(MediaRendered, snapshot=accounts_now, handler=handler)
    make_account("ana")
    with transaction.atomic():
        bus.publish(MediaRendered(media_id=1))
        make_account("bo")
        assert seen == []
    assert seen == [(["ana"], ["ana", "bo"])]


@pytest.mark.django_db(transaction=True)
def test_a_failing_snapshot_skips_its_handler_only_and_keeps_the_transaction_usable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus, seen = EventBus(), Seen()

    def broken(event: MediaRendered) -> None:
        User.objects.raw("SELECT * FROM no_such_table")[0]  # a query the database refuses

    def skipped(event: MediaRendered, before: None) -> None:
        seen.append(("skipped", event))

    bus.subscribe_with_snapshot(MediaRendered, snapshot=broken, handler=skipped)
    bus.subscribe(MediaRendered, recorder(seen, "plain"))
    counted = failures(skipped)
    with caplog.at_level(logging.ERROR, logger="glimpse.core.event_bus"), transaction.atomic():
        bus.publish(MediaRendered(media_id=5))
        make_account("ana")  # the publisher's transaction goes on after the failed query
    assert [name for name, _ in seen] == ["plain"]
    assert User.objects.filter(username="ana").exists()
    assert "skipped" in caplog.records[0].getMessage()
    assert failures(skipped) == counted + 1


@pytest.mark.django_db(transaction=True)
def test_subscribing_twice_delivers_once() -> None:
    bus, seen = EventBus(), Seen()
    handler = recorder(seen, "twice")
    bus.subscribe(MediaRendered, handler)
    bus.subscribe(MediaRendered, handler)
    assert len(bus.subscribers(MediaRendered)) == 1
    bus.publish(MediaRendered(media_id=1))
    assert seen == [("twice", MediaRendered(media_id=1))]


# --- The events and the apps' wiring --------------------------------------------------------

FEEDS, NOTIFICATIONS = "glimpse.feeds.subscribers", "glimpse.notifications.subscribers"
INSIGHTS, REALTIME = "glimpse.insights.subscribers", "glimpse.realtime.subscribers"
GRAPH, POSTS = "glimpse.graph.subscribers", "glimpse.posts.subscribers"
PUSH, MESSAGES = "glimpse.push.subscribers", "glimpse.messages.subscribers"
MASTODON = "glimpse.mastodon.subscribers"
OUTGOING = "glimpse.federation.outgoing.subscribers"
FOLLOWS = "glimpse.federation.follows.subscribers"
REPORTS = "glimpse.federation.reports.subscribers"
IMPORTS = "glimpse.imports.subscribers"

# Who subscribes to each event, in delivery order (the order of INSTALLED_APPS).
WIRING: dict[type[Event], list[str]] = {
    events.AccountMadePublic: [
        f"{GRAPH}.account_made_public",
        f"{NOTIFICATIONS}.account_shown_or_hidden",
    ],
    events.AccountMadePrivate: [f"{NOTIFICATIONS}.account_shown_or_hidden"],
    events.AccountUpdated: [f"{OUTGOING}.account_updated"],
    events.AccountErased: [f"{IMPORTS}.account_erased", f"{OUTGOING}.account_erased"],
    events.AccountReactivated: [f"{NOTIFICATIONS}.account_shown_or_hidden"],
    events.AccountSuspended: [
        f"{NOTIFICATIONS}.account_shown_or_hidden",
        f"{REALTIME}.account_deactivated",
    ],
    events.AccountBanned: [
        f"{NOTIFICATIONS}.account_shown_or_hidden",
        f"{REALTIME}.account_deactivated",
    ],
    events.AccountDeactivated: [
        f"{NOTIFICATIONS}.account_shown_or_hidden",
        f"{REALTIME}.account_deactivated",
    ],
    events.TokensRevoked: [f"{REALTIME}.tokens_revoked"],
    events.PasswordReset: [f"{REALTIME}.password_reset"],
    events.FollowCreated: [
        f"{FEEDS}.follow_created",
        f"{NOTIFICATIONS}.follow_created",
        f"{INSIGHTS}.follow_created",
    ],
    events.FollowRequested: [f"{NOTIFICATIONS}.follow_requested", f"{FOLLOWS}.follow_requested"],
    events.FollowRequestApproved: [
        f"{FEEDS}.follow_request_approved",
        f"{NOTIFICATIONS}.follow_request_approved",
        f"{NOTIFICATIONS}.follow_approved",
        f"{INSIGHTS}.follow_request_approved",
        f"{FOLLOWS}.follow_request_approved",
    ],
    events.FollowRequestDenied: [
        f"{NOTIFICATIONS}.follow_request_denied",
        f"{FOLLOWS}.follow_request_denied",
    ],
    events.FollowRemoved: [
        f"{FEEDS}.follow_removed",
        f"{NOTIFICATIONS}.follow_removed",
        f"{NOTIFICATIONS}.follow_ended",
        f"{INSIGHTS}.follow_removed",
        f"{FOLLOWS}.follow_removed",
    ],
    events.BlockChanged: [
        f"{FEEDS}.block_changed",
        f"{NOTIFICATIONS}.block_changed",
        f"{MESSAGES}.block_changed",
        f"{INSIGHTS}.block_changed",
        f"{OUTGOING}.block_changed",
    ],
    events.MuteChanged: [f"{FEEDS}.mute_changed"],
    events.MediaRendered: [f"{POSTS}.media_rendered"],
    events.ScheduledPostFailed: [f"{NOTIFICATIONS}.scheduled_post_failed"],
    events.PostPublished: [
        f"{FEEDS}.post_published",
        f"{NOTIFICATIONS}.post_published",
        f"{MASTODON}.post_published",
        f"{OUTGOING}.post_published",
    ],
    events.PostEdited: [
        f"{NOTIFICATIONS}.post_published",
        f"{MASTODON}.post_edited",
        f"{OUTGOING}.post_edited",
    ],
    events.PostDeleted: [
        f"{FEEDS}.post_removed",
        f"{NOTIFICATIONS}.post_deleted",
        f"{MASTODON}.post_deleted",
        f"{OUTGOING}.post_deleted",
    ],
    events.PostArchived: [
        f"{FEEDS}.post_removed",
        f"{NOTIFICATIONS}.post_shown_or_hidden",
        f"{MASTODON}.post_archived",
        f"{OUTGOING}.post_archived",
    ],
    events.PostUnarchived: [
        f"{FEEDS}.post_published",
        f"{NOTIFICATIONS}.post_shown_or_hidden",
        f"{OUTGOING}.post_unarchived",
    ],
    events.RepostCreated: [f"{FEEDS}.repost_created", f"{OUTGOING}.repost_created"],
    events.RepostDeleted: [f"{FEEDS}.repost_deleted", f"{OUTGOING}.repost_deleted"],
    events.PostLiked: [f"{NOTIFICATIONS}.post_liked", f"{OUTGOING}.post_liked"],
    events.PostUnliked: [f"{NOTIFICATIONS}.post_unliked", f"{OUTGOING}.post_unliked"],
    events.CommentCreated: [f"{NOTIFICATIONS}.comment_created", f"{OUTGOING}.comment_created"],
    events.CommentDeleted: [f"{NOTIFICATIONS}.comment_deleted", f"{OUTGOING}.comment_deleted"],
    events.CommentLiked: [f"{NOTIFICATIONS}.comment_liked", f"{OUTGOING}.comment_liked"],
    events.CommentUnliked: [f"{NOTIFICATIONS}.comment_unliked", f"{OUTGOING}.comment_unliked"],
    events.PostsShown: [f"{INSIGHTS}.posts_shown"],
    events.NotificationAdded: [
        f"{PUSH}.notification_added",
        f"{MASTODON}.notification_added",
        f"{MASTODON}.notification_streamed_to_user",
    ],
    events.StoryReplied: [f"{MESSAGES}.story_replied"],
    events.StoryReacted: [f"{MESSAGES}.story_reacted"],
    events.DomainBlockChanged: [
        f"{FEEDS}.domain_block_changed",
        f"{NOTIFICATIONS}.domain_block_changed",
    ],
    events.ReportsForwarded: [f"{REPORTS}.reports_forwarded"],
}


def every_event() -> list[type[Event]]:
    """Return every event class the events module defines."""
    return [
        value
        for value in vars(events).values()
        if inspect.isclass(value) and issubclass(value, Event) and value is not Event
    ]


def test_the_apps_subscribe_to_every_event_as_wired() -> None:
    found = {kind: event_bus.bus.subscribers(kind) for kind in every_event()}
    assert found == WIRING


def test_running_the_apps_ready_again_subscribes_nothing_twice() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("glimpse."):
            config.ready()
    assert {kind: event_bus.bus.subscribers(kind) for kind in every_event()} == WIRING


@pytest.mark.parametrize("kind", every_event(), ids=lambda kind: kind.__name__)
def test_every_event_is_a_frozen_dataclass_of_ids_with_a_docstring(kind: type[Event]) -> None:
    assert dataclasses.is_dataclass(kind)
    assert kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert kind.__doc__
    assert "\n" not in kind.__doc__.strip()
    allowed = {"int", "int | None", "bool", "tuple[int, ...]", "tuple[tuple[int, int], ...]"}
    for field in dataclasses.fields(kind):
        # A server is named by its host: it has no row, so no id, of its own.
        named = {"str"} if field.name == "domain" else set()
        assert field.type in allowed | named | {"ShownFrom"}, (kind.__name__, field.name)


def test_a_subscriber_failing_in_a_real_flow_leaves_the_publisher_done(
    monkeypatch: pytest.MonkeyPatch,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A broken fan-out is logged; the follow it reacted to is made and counted all the same."""
    from glimpse.feeds import services as feeds
    from glimpse.graph import services as graph

    def broken(*user_ids: int) -> None:
        raise ConnectionError("the feed store is down")

    monkeypatch.setattr(feeds, "graph_changed_on_commit", broken)
    ana, bo = make_user("ana"), make_user("bo")
    with django_capture_on_commit_callbacks(execute=True):
        assert graph.follow_create(follower=bo, followee=ana) == "following"
    ana.refresh_from_db()
    assert ana.follower_count == 1
    # The subscribers after the broken one ran: ana is told of her new follower.
    assert Notification.objects.filter(recipient=ana, kind="follow").exists()
