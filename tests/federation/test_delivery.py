"""Delivery of activities against real inbox servers on 127.0.0.1: what arrives, signed how,
retried when, given up when, and what happens to a server that stays down.

Time is the product's clock, moved by the tests (never slept on); jobs are called directly.
Every connection a test tries beyond loopback is refused and recorded.
"""

from __future__ import annotations

import base64
import hashlib
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
import pytest
from prometheus_client import REGISTRY

from glimpse.accounts.models import User
from glimpse.core import clock
from glimpse.federation.actors import actor_id
from glimpse.federation.delivery.services import deliver_activity, deliveries_requeue_due
from glimpse.federation.delivery.tasks import federation_deliver
from glimpse.federation.keys import actor_key
from glimpse.federation.models import Delivery, DeliveryState, OutgoingActivity, RemoteServer
from glimpse.federation.signatures import PublicKeyInfo, verify_request

ACTIVITY = {
    "@context": "https://www.w3.org/ns/activitystreams",
    "id": "https://alpha.test/p/1/#create",
    "type": "Create",
    "actor": "https://alpha.test/users/ana",
    "object": {"type": "Note", "content": "<p>héllo</p>"},
}
Answer = int | tuple[int, dict[str, str]]
Capture = Callable[..., AbstractContextManager[list[Callable[[], None]]]]

pytestmark = pytest.mark.django_db


@dataclass
class Received:
    """One request as an inbox got it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Inbox:
    """A server on a free loopback port answering a programmed list of statuses (the last
    one again once the list is spent), and keeping what it received."""

    host: str
    answers: list[Answer]
    port: int = 0
    received: list[Received] = field(default_factory=list)

    def url(self, path: str = "/inbox") -> str:
        """Return an address on this server under its test host name."""
        return f"http://{self.host}:{self.port}{path}"

    def next_answer(self) -> tuple[int, dict[str, str]]:
        """Take the next programmed answer."""
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer if isinstance(answer, tuple) else (answer, {})


class Handler(BaseHTTPRequestHandler):
    """Record a POST and answer it as programmed."""

    inbox: Inbox

    def do_POST(self) -> None:
        """Record the request, then answer the next programmed status."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.inbox.received.append(Received(self.path, headers, body))
        status, extra = self.inbox.next_answer()
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


@contextmanager
def serving(inbox: Inbox) -> Iterator[Inbox]:
    """Run an inbox server on a free loopback port while the block runs."""
    handler = type("InboxHandler", (Handler,), {"inbox": inbox})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    inbox.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield inbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Clock:
    """The product's clock, held still and moved by the test."""

    now: float

    def move_to(self, moment: datetime) -> None:
        """Set the clock to a moment."""
        self.now = moment.timestamp()

    def move_by(self, seconds: float) -> None:
        """Move the clock on."""
        self.now += seconds


@pytest.fixture
def moment(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Hold the product's clock still at the present moment."""
    state = Clock(clock.now())
    monkeypatch.setattr(clock, "now", lambda: state.now)
    return state


@pytest.fixture(autouse=True)
def federating(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Federate as alpha.test, with tight fetch limits; refuse (and record) every connection
    beyond loopback."""
    settings.GLIMPSE_FEDERATION = True
    settings.GLIMPSE_SITE_URL = "https://alpha.test"
    settings.GLIMPSE_FEDERATION_FETCH_TIMEOUT = 5.0
    settings.GLIMPSE_FEDERATION_FETCH_DEADLINE = 10.0
    settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = False
    settings.GLIMPSE_FEDERATION_HOSTS = {}
    tried: list[Any] = []
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> None:
        if address[0] not in ("127.0.0.1", "::1"):
            tried.append(address)
            raise ConnectionRefusedError("the tests never leave this machine")
        connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield tried
    assert not tried


@contextmanager
def inboxes(settings: Any, *programs: tuple[str, list[Answer]]) -> Iterator[list[Inbox]]:
    """Run one inbox server per (host name, answers), reachable under that name."""
    with ExitStack() as stack:
        running = [stack.enter_context(serving(Inbox(host, answers))) for host, answers in programs]
        settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = [inbox.port for inbox in running]
        settings.GLIMPSE_FEDERATION_HOSTS = {inbox.host: "127.0.0.1" for inbox in running}
        yield running


def send(capture: Capture, *, actor: User | None, to: list[str]) -> int:
    """Deliver the test activity and run the jobs queued after commit."""
    with capture(execute=True):
        return deliver_activity(activity=ACTIVITY, actor=actor, inboxes=to)


def metric(name: str, **labels: str) -> float:
    """Return a metric's current value (0 when never recorded)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def counted(outcome: str) -> float:
    """Return the delivery counter's value for an outcome."""
    return metric("glimpse_federation_deliveries_total", outcome=outcome)


def the_delivery() -> Delivery:
    """Return the one delivery of the test."""
    return Delivery.objects.get()


def test_each_distinct_inbox_gets_the_activity_once_signed_by_its_actor(
    settings: Any, ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    lag_before = metric("glimpse_federation_delivery_lag_seconds_count")
    requests_before = metric("glimpse_federation_delivery_request_seconds_count")
    with inboxes(settings, ("beta.test", [202]), ("gamma.test", [200])) as (beta, gamma):
        shared = beta.url("/inbox")
        to = [shared, shared, gamma.url("/users/bo/inbox"), "https://alpha.test/users/cy/inbox"]
        assert send(django_capture_on_commit_callbacks, actor=ana, to=to) == 2
    assert OutgoingActivity.objects.count() == 1  # the body is kept once
    assert [len(beta.received), len(gamma.received)] == [1, 1]
    public = actor_key(ana).public_pem
    owner = actor_id("ana")

    def lookup(key_id: str, refresh: bool) -> PublicKeyInfo | None:
        return PublicKeyInfo(public, owner) if key_id == f"{owner}#main-key" else None

    for inbox, path in ((beta, "/inbox"), (gamma, "/users/bo/inbox")):
        got = inbox.received[0]
        assert got.path == path
        assert orjson.loads(got.body) == ACTIVITY
        assert got.headers["content-type"] == "application/activity+json"
        digest = base64.b64encode(hashlib.sha256(got.body).digest()).decode()
        assert got.headers["digest"] == f"SHA-256={digest}"
        verified = verify_request(
            method="POST",
            url=inbox.url(path),
            headers=got.headers,
            body=got.body,
            key_lookup=lookup,
        )
        assert verified.actor_id == owner
    assert metric("glimpse_federation_delivery_lag_seconds_count") == lag_before + 2
    assert metric("glimpse_federation_delivery_request_seconds_count") == requests_before + 2
    states = set(Delivery.objects.values_list("state", "attempts", "last_status"))
    assert states == {(DeliveryState.DELIVERED, 1, 202), (DeliveryState.DELIVERED, 1, 200)}


def test_the_instance_signs_what_has_no_account(
    settings: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    with inboxes(settings, ("beta.test", [202])) as (beta,):
        assert send(django_capture_on_commit_callbacks, actor=None, to=[beta.url()]) == 1
    signature = beta.received[0].headers["signature"]
    assert 'keyId="https://alpha.test/actor#main-key"' in signature


def test_a_server_error_is_retried_after_a_growing_wait_then_delivered(
    settings: Any, ana: User, moment: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.GLIMPSE_FEDERATION_RETRY_BASE = 30
    delivered_before, retried_before = counted("delivered"), counted("retried")
    with inboxes(settings, ("beta.test", [500, 500, 200])) as (beta,):
        send(django_capture_on_commit_callbacks, actor=ana, to=[beta.url()])
        first = the_delivery()
        assert (first.state, first.attempts, first.last_status) == ("pending", 1, 500)
        wait = (first.next_attempt_at - first.created_at).total_seconds()
        assert 60 * 0.8 <= wait <= 60 * 1.2  # base * 2, with jitter
        assert federation_deliver(first.pk) == "skipped"  # not due yet: nothing sent
        assert len(beta.received) == 1
        moment.move_to(first.next_attempt_at)
        assert federation_deliver(first.pk) == "retried"
        second = the_delivery()
        wait = (second.next_attempt_at - first.next_attempt_at).total_seconds()
        assert 120 * 0.8 <= wait <= 120 * 1.2  # base * 4
        moment.move_to(second.next_attempt_at)
        assert federation_deliver(second.pk) == "delivered"
        assert federation_deliver(second.pk) == "skipped"  # a duplicate job sends nothing
        assert len(beta.received) == 3
    done = the_delivery()
    assert (done.state, done.attempts, done.last_status) == ("delivered", 3, 200)
    assert counted("retried") == retried_before + 2
    assert counted("delivered") == delivered_before + 1
    assert RemoteServer.objects.get(domain="beta.test").failures_in_a_row == 0


@pytest.mark.parametrize("status", [400, 401, 404, 410])
def test_a_refusal_fails_for_good_without_a_retry(
    settings: Any,
    ana: User,
    moment: Clock,
    status: int,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with inboxes(settings, ("beta.test", [status, 202])) as (beta,):
        send(django_capture_on_commit_callbacks, actor=ana, to=[beta.url()])
        moment.move_by(30 * 86400)
        with django_capture_on_commit_callbacks(execute=True):
            assert deliveries_requeue_due() == 0
        assert federation_deliver(the_delivery().pk) == "skipped"
        assert len(beta.received) == 1
    failed = the_delivery()
    assert (failed.state, failed.attempts, failed.last_status) == ("failed", 1, status)


def test_too_many_requests_is_retried_not_before_retry_after(
    settings: Any, ana: User, moment: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    with inboxes(settings, ("beta.test", [(429, {"Retry-After": "7200"}), 202])) as (beta,):
        send(django_capture_on_commit_callbacks, actor=ana, to=[beta.url()])
        waiting = the_delivery()
        assert waiting.next_attempt_at - waiting.created_at >= timedelta(seconds=7200)
        moment.move_to(waiting.next_attempt_at - timedelta(seconds=1))
        assert federation_deliver(waiting.pk) == "skipped"
        with django_capture_on_commit_callbacks(execute=True):
            assert deliveries_requeue_due() == 0
        assert len(beta.received) == 1
        moment.move_to(waiting.next_attempt_at)
        with django_capture_on_commit_callbacks(execute=True):
            assert deliveries_requeue_due() == 1  # a long wait is the periodic job's to wake
        assert len(beta.received) == 2
    assert the_delivery().state == "delivered"


def test_retries_stop_once_the_span_is_over(
    settings: Any, ana: User, moment: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.GLIMPSE_FEDERATION_DOWN_FAILURES = 1_000  # the server never counts as down here
    with inboxes(settings, ("beta.test", [503])) as (beta,):
        send(django_capture_on_commit_callbacks, actor=ana, to=[beta.url()])
        delivery = the_delivery()
        for _ in range(100):  # about 35 attempts fit in 7 days
            if delivery.state != "pending":
                break
            moment.move_to(delivery.next_attempt_at)
            federation_deliver(delivery.pk)
            delivery = the_delivery()
    assert delivery.state == "failed"
    assert delivery.last_error.startswith(f"gave up after {delivery.attempts} attempts")
    assert len(beta.received) == delivery.attempts
    assert 20 < delivery.attempts < 60
    assert delivery.finished_at is not None
    assert delivery.finished_at <= delivery.created_at + timedelta(days=7)


def test_a_server_that_stays_down_is_only_probed_then_comes_back(
    settings: Any,
    make_user: Callable[..., User],
    moment: Clock,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.GLIMPSE_FEDERATION_DOWN_FAILURES = 3
    settings.GLIMPSE_FEDERATION_DOWN_AFTER = 3600
    ana, bo = make_user("ana"), make_user("bo")
    with inboxes(settings, ("beta.test", [503])) as (beta,):
        url = beta.url()
        send(django_capture_on_commit_callbacks, actor=ana, to=[url])
        first = Delivery.objects.get(activity__actor=ana)
        for _ in range(20):  # fails in a row until an hour has passed: down
            server = RemoteServer.objects.get(domain="beta.test")
            if server.down_since is not None:
                break
            moment.move_to(first.next_attempt_at)
            federation_deliver(first.pk)
            first.refresh_from_db()
        server = RemoteServer.objects.get(domain="beta.test")
        assert server.down_since is not None
        assert server.failures_in_a_row >= 3
        assert server.next_probe_at is not None
        assert server.next_probe_at - server.down_since == timedelta(days=1)
        tried = len(beta.received)

        # A new delivery to the down server waits for the probe; nothing is sent.
        send(django_capture_on_commit_callbacks, actor=bo, to=[url])
        second = Delivery.objects.get(activity__actor=bo)
        assert (second.state, second.attempts) == ("pending", 0)
        assert second.next_attempt_at == server.next_probe_at
        assert len(beta.received) == tried

        # At probe time one delivery gets through; the other waits a day more.
        moment.move_to(server.next_probe_at + timedelta(hours=6))
        assert federation_deliver(first.pk) == "retried"  # the probe, failed
        assert federation_deliver(second.pk) == "postponed"
        assert len(beta.received) == tried + 1
        server.refresh_from_db()
        second.refresh_from_db()
        assert second.next_attempt_at == server.next_probe_at
        assert server.down_since is not None

        # The next probe succeeds: the server is up, and what waited is sent at once.
        beta.answers[:] = [202]
        moment.move_to(server.next_probe_at)
        with django_capture_on_commit_callbacks(execute=True):
            assert federation_deliver(second.pk) == "delivered"
        assert len(beta.received) == tried + 3
    server.refresh_from_db()
    assert (server.down_since, server.failures_in_a_row) == (None, 0)
    assert server.last_success_at is not None
    assert set(Delivery.objects.values_list("state", flat=True)) == {"delivered"}


def test_the_periodic_job_queues_a_lost_delivery_exactly_once(
    settings: Any, ana: User, moment: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    with inboxes(settings, ("beta.test", [202])) as (beta,):
        # The job queued after commit is lost (its callback never runs).
        assert deliver_activity(activity=ACTIVITY, actor=ana, inboxes=[beta.url()]) == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert deliveries_requeue_due() == 0  # the queued job still has it in hand
        moment.move_by(settings.GLIMPSE_FEDERATION_REQUEUE_AFTER + 1)
        with django_capture_on_commit_callbacks(execute=True) as queued:
            assert deliveries_requeue_due() == 1
            assert deliveries_requeue_due() == 0  # the second run finds it leased
        assert len(queued) == 1
        assert metric("glimpse_federation_deliveries_pending") == 1  # counted before sending
        assert len(beta.received) == 1
    assert the_delivery().state == "delivered"


def test_a_delivery_whose_sender_died_is_sent_again_once_its_lease_ends(
    settings: Any, ana: User, moment: Clock, django_capture_on_commit_callbacks: Capture
) -> None:
    with inboxes(settings, ("beta.test", [202])) as (beta,):
        deliver_activity(activity=ACTIVITY, actor=ana, inboxes=[beta.url()])
        lease = moment.now + 30
        Delivery.objects.update(state="sending", attempts=1, lease_until=_at(lease))
        assert federation_deliver(the_delivery().pk) == "skipped"  # still in the sender's hands
        moment.now = lease + 1
        with django_capture_on_commit_callbacks(execute=True):
            assert deliveries_requeue_due() == 1
        assert len(beta.received) == 1
    assert (the_delivery().state, the_delivery().attempts) == ("delivered", 2)


def test_nothing_is_delivered_while_federation_is_off(
    settings: Any, ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.GLIMPSE_FEDERATION = False
    with inboxes(settings, ("beta.test", [202])) as (beta,):
        assert send(django_capture_on_commit_callbacks, actor=ana, to=[beta.url()]) == 0
        assert deliveries_requeue_due() == 0
    assert beta.received == []
    assert not Delivery.objects.exists()
    assert not OutgoingActivity.objects.exists()


def test_only_this_servers_own_inboxes_give_nothing_to_deliver(
    ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    to = ["https://alpha.test/inbox", "https://ALPHA.test/users/bo/inbox"]
    assert send(django_capture_on_commit_callbacks, actor=ana, to=to) == 0
    assert not OutgoingActivity.objects.exists()


def test_an_inbox_at_a_private_address_fails_without_a_request(
    settings: Any, ana: User, federating: list[Any], django_capture_on_commit_callbacks: Capture
) -> None:
    settings.GLIMPSE_FEDERATION_HOSTS = {"evil.test": "10.0.0.7"}
    to = ["https://evil.test/inbox", "https://169.254.169.254/inbox"]
    assert send(django_capture_on_commit_callbacks, actor=ana, to=to) == 2
    assert federating == []  # no connection was even tried
    for delivery in Delivery.objects.all():
        assert (delivery.state, delivery.last_status) == ("failed", None)
        assert "address" in delivery.last_error
    assert not RemoteServer.objects.exists()  # a refusal of ours says nothing of the server


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds).astimezone()
