"""Inboxes: a signed activity is kept once and processed by a job; anything unsigned,
tampered with, too large, malformed, or signed by someone other than its actor is refused
and nothing is kept."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from django.test import Client
from prometheus_client import REGISTRY

from glimpse.accounts.models import User
from glimpse.federation.inbox.receive import activity_receive
from glimpse.federation.models import InboxActivity, InboxState
from tests.federation.remote_server import SITE, Peer, Remote, peer


def test_a_signed_activity_is_kept_once_and_processed(alice: Peer, ana: User) -> None:
    activity = alice.activity("Listen", "https://example.org/song")
    first = alice.send(activity, to="/users/ana/inbox")
    again = alice.send(activity, to="/inbox")
    assert (first.status_code, again.status_code) == (202, 202)
    row = InboxActivity.objects.get()
    assert (row.activity_id, row.actor_uri, row.kind) == (activity["id"], alice.uri, "Listen")
    # No handler acts on this kind: the job ran and says why it left it alone.
    assert row.state == InboxState.IGNORED
    assert "Listen" in row.error
    # The sender's account was stored on the way, to check its key.
    assert User.objects.filter(username=f"alice@{alice.remote.host}").exists()


def test_the_instance_inbox_takes_activities_too(alice: Peer) -> None:
    assert alice.send(alice.activity("Listen", "x:y"), to="/actor/inbox").status_code == 202
    assert InboxActivity.objects.count() == 1


def _raw_post(path: str, body: bytes, headers: dict[str, str] | None = None) -> Any:
    return Client().post(
        path,
        data=body,
        content_type="application/activity+json",
        headers={"Host": "glimpse.example", **(headers or {})},
        secure=True,
    )


def test_an_unsigned_activity_is_refused(alice: Peer) -> None:
    response = _raw_post("/inbox", orjson.dumps(alice.activity("Like", "x:y")))
    assert response.status_code == 401
    assert b"Signature refused" in response.content
    assert not InboxActivity.objects.exists()


def test_a_tampered_body_is_refused(alice: Peer, monkeypatch: pytest.MonkeyPatch) -> None:
    activity = alice.activity("Like", "https://glimpse.example/p/1/")
    sent: dict[str, Any] = {}

    def tamper(method: str, url: str, headers: Any, body: bytes) -> Any:
        sent.update(headers=headers)
        return activity_receive(method=method, url=url, headers=headers, body=body + b" ")

    monkeypatch.setattr("glimpse.federation.views_inbox.activity_receive", _swap_body(tamper))
    response = alice.send(activity)
    assert response.status_code == 401
    assert b"bad digest" in response.content
    assert not InboxActivity.objects.exists()


def _swap_body(tamper: Any) -> Any:
    def receive(*, method: str, url: str, headers: Any, body: bytes) -> Any:
        return tamper(method, url, headers, body)

    return receive


def test_an_activity_signed_by_another_actor_is_refused(remote: Remote) -> None:
    alice, mallory = peer(remote, "alice"), peer(remote, "mallory")
    forged = alice.activity("Delete", alice.uri)
    response = mallory.send(forged)
    assert response.status_code == 401
    assert b"not the activity's actor" in response.content
    assert not InboxActivity.objects.exists()


def test_an_activity_id_on_another_server_is_refused(alice: Peer) -> None:
    activity = alice.activity("Like", "x:y", id="https://other.test/activities/1")
    response = alice.send(activity)
    assert response.status_code == 400
    assert not InboxActivity.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"id": "x"}', 400),
    ],
)
def test_malformed_bodies_are_refused(alice: Peer, body: bytes, status: int) -> None:
    from glimpse.federation.signatures import sign_request

    signed = sign_request(
        method="POST",
        url=SITE + "/inbox",
        headers={},
        body=body,
        key_id=alice.key_id,
        private_key_pem=alice.private_pem,
    )
    # The key is fetched on the way: the signature itself is good.
    headers = {k: v for k, v in signed.items() if k.lower() != "host"}
    assert _raw_post("/inbox", body, headers).status_code == status
    assert not InboxActivity.objects.exists()


def test_too_large_an_activity_is_refused(alice: Peer, settings: Any) -> None:
    settings.GLIMPSE_FEDERATION_INBOX_MAX_BYTES = 200
    activity = alice.activity("Note", "x" * 300)
    assert alice.send(activity).status_code == 413
    assert not InboxActivity.objects.exists()


def test_the_inbox_of_an_unknown_account_is_not_found(alice: Peer) -> None:
    response = alice.send(alice.activity("Like", "x:y"), to="/users/nobody/inbox")
    assert response.status_code == 404
    assert not InboxActivity.objects.exists()


def test_inboxes_take_only_posts(alice: Peer) -> None:
    response = Client().get("/inbox", HTTP_HOST="glimpse.example", secure=True)
    assert response.status_code == 405


def test_no_inbox_while_federation_is_off(alice: Peer, settings: Any) -> None:
    settings.GLIMPSE_FEDERATION = False
    assert alice.send(alice.activity("Like", "x:y")).status_code == 404
    assert not InboxActivity.objects.exists()


def _count(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_what_arrives_and_how_it_ends_is_counted(alice: Peer, ana: User) -> None:
    received = "glimpse_federation_inbox_received_total"
    processed = "glimpse_federation_inbox_processed_total"
    before = {
        answer: _count(received, answer=answer) for answer in ("kept", "duplicate", "refused")
    }
    ignored = _count(processed, kind="other", outcome="ignored")
    activity = alice.activity("Listen", "https://example.org/song")
    alice.send(activity)
    alice.send(activity)
    _raw_post("/inbox", orjson.dumps(activity))  # unsigned
    assert {a: _count(received, answer=a) - n for a, n in before.items()} == {
        "kept": 1,
        "duplicate": 1,
        "refused": 1,
    }
    assert _count(processed, kind="other", outcome="ignored") == ignored + 1
