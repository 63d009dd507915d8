"""Federation's hot paths, each against what it cannot do without, in the same run:

- an inbox taking a signed activity (check, keep once) against checking its signature
  alone, the part no server can skip;
- recording one activity for a thousand followers' inboxes against inserting the same rows
  in bulk;
- a photo post's Note against the same post's JSON in Glimpse's API (one presenter, two
  mappings).

Nothing leaves the machine: the remote actor is stored beforehand, and delivery jobs are not
run.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.management import call_command
from django.test import override_settings

from bench.harness import Result, compare, report
from glimpse.accounts.models import User
from glimpse.accounts.services import account_create
from glimpse.federation.delivery import services as delivery
from glimpse.federation.inbox import receive
from glimpse.federation.keys import generate_key_pair
from glimpse.federation.models import Delivery, OutgoingActivity
from glimpse.federation.notes import note_of
from glimpse.federation.remote.actors import actor_store
from glimpse.federation.remote.keys import public_key_for
from glimpse.federation.signatures import sign_request, verify_request
from glimpse.federation.signatures.common import load_private_key
from glimpse.federation.vocabulary import CONTEXT
from glimpse.media.services import media_upload
from glimpse.posts import services
from glimpse.posts.demo import scene_jpeg
from glimpse.posts.presenters.posts import post_json
from glimpse.posts.shown import post_shown

SITE = "https://bench.example"
REMOTE = "https://remote.bench/users/alice"
FOLLOWERS = 1_000
ITEMS = 10
RECEIVED = 50
ROUNDS = 7
_numbers = itertools.count()


def run() -> list[Result]:
    """Time the inbox, delivery recording and Notes against their baselines."""
    call_command("migrate", verbosity=0)
    with _federating():
        private_pem = _remote_actor()
        author = _author()
        post_id = _photo_post(author)
        # Signed beforehand: signing is the sender's work, not the inbox's.
        signed = iter([_signed(private_pem) for _ in range(2 * (ROUNDS + 1) * RECEIVED)])
        results = [
            compare(
                "inbox: check and keep an activity",
                lambda: _each(_receive, signed),
                baseline_name="its signature checked alone",
                baseline=lambda: _each(_verify, signed),
                rounds=ROUNDS,
                operations=RECEIVED,
                # Parsing and one insert, committed (on SQLite a write to disk, which varies
                # with the machine's other work), beside the signature's check.
                budget_ratio=5.0,
            ),
            compare(
                "delivery: sign a request to an inbox",
                lambda: _each_signed(private_pem),
                baseline_name="an RSA-2048 signature alone",
                baseline=lambda: _each_raw(private_pem),
                operations=RECEIVED,
                # The digest and the signing string beside the signature; the key is read
                # once per worker (reading one checks it: some 80 ms, 300 times a signature).
                budget_ratio=2.0,
            ),
            compare(
                f"delivery: one activity for {FOLLOWERS:,} inboxes",
                lambda: _deliver(author),
                baseline_name="the same rows inserted in bulk",
                baseline=lambda: _bulk(author),
                operations=1,
                budget_ratio=2.0,
            ),
            compare(
                f"Note of a {ITEMS}-photo post",
                lambda: note_of(post_shown(viewer=None, post_id=post_id)),
                baseline_name="its JSON in Glimpse's API",
                baseline=lambda: post_json(post_shown(viewer=None, post_id=post_id)),
                operations=1,
                # The caption as HTML, its tags and ten attachments, beside the same presenter.
                budget_ratio=2.0,
            ),
        ]
    report(results, suite="federation")
    return results


@contextmanager
def _federating() -> Iterator[None]:
    """Federate as bench.example; keep received activities and record deliveries without
    running their jobs (a worker's work, not the inbox's or the sender's)."""
    queued, kept = delivery.enqueue, receive.enqueue_on_commit
    delivery.enqueue = receive.enqueue_on_commit = lambda task, *args: None
    try:
        with override_settings(
            GLIMPSE_FEDERATION=True,
            GLIMPSE_SITE_URL=SITE,
            ALLOWED_HOSTS=["bench.example"],
            CELERY_TASK_ALWAYS_EAGER=True,
            GLIMPSE_JOBS_IN_THREADS=False,
        ):
            yield
    finally:
        delivery.enqueue, receive.enqueue_on_commit = queued, kept


def _remote_actor() -> str:
    """Store an actor of another server with a fresh key; return its private key."""
    private_pem, public_pem = generate_key_pair()
    actor_store(
        {
            "@context": CONTEXT,
            "id": REMOTE,
            "type": "Person",
            "preferredUsername": "alice",
            "inbox": f"{REMOTE}/inbox",
            "publicKey": {"id": f"{REMOTE}#main-key", "owner": REMOTE, "publicKeyPem": public_pem},
        },
        fetched_from=REMOTE,
    )
    return private_pem


def _signed(private_pem: str) -> tuple[bytes, dict[str, str]]:
    """Return a new activity (one Glimpse leaves alone) and its signed headers."""
    body = orjson.dumps(
        {
            "@context": CONTEXT,
            "id": f"{REMOTE}/listens/{next(_numbers)}-{datetime.now(UTC).timestamp()}",
            "type": "Listen",
            "actor": REMOTE,
            "object": "https://remote.bench/songs/1",
        }
    )
    headers = sign_request(
        method="POST",
        url=f"{SITE}/inbox",
        headers={"Content-Type": "application/activity+json"},
        body=body,
        key_id=f"{REMOTE}#main-key",
        private_key_pem=private_pem,
    )
    return body, dict(headers)


def _each(
    step: Callable[[bytes, dict[str, str]], None], signed: Iterator[tuple[bytes, dict[str, str]]]
) -> None:
    """Take ``RECEIVED`` signed activities, one step each."""
    for _ in range(RECEIVED):
        step(*next(signed))


def _receive(body: bytes, headers: dict[str, str]) -> None:
    receive.activity_receive(method="POST", url=f"{SITE}/inbox", headers=headers, body=body)


def _verify(body: bytes, headers: dict[str, str]) -> None:
    verify_request(
        method="POST", url=f"{SITE}/inbox", headers=headers, body=body, key_lookup=public_key_for
    )


def _each_signed(private_pem: str) -> None:
    for n in range(RECEIVED):
        sign_request(
            method="POST",
            url="https://remote.bench/inbox",
            headers={"Content-Type": "application/activity+json"},
            body=b'{"n": %d}' % n,
            key_id=f"{SITE}/users/bench.federated#main-key",
            private_key_pem=private_pem,
        )


def _each_raw(private_pem: str) -> None:
    key = load_private_key(private_pem)
    assert isinstance(key, rsa.RSAPrivateKey)
    for n in range(RECEIVED):
        key.sign(b"(request-target): post /inbox %d" % n, padding.PKCS1v15(), hashes.SHA256())


def _inboxes() -> list[str]:
    return [f"https://server{n}.bench/inbox" for n in range(FOLLOWERS)]


def _deliver(author: User) -> None:
    delivery.deliver_activity(
        activity={"type": "Create", "id": f"{SITE}/p/{next(_numbers)}/"},
        actor=author,
        inboxes=_inboxes(),
    )


def _bulk(author: User) -> None:
    now = datetime.now(UTC)
    outgoing = OutgoingActivity.objects.create(actor=author, body="{}", created_at=now)
    Delivery.objects.bulk_create(
        Delivery(
            activity=outgoing,
            inbox=inbox,
            domain=inbox.split("/")[2],
            next_attempt_at=now,
            created_at=now,
        )
        for inbox in _inboxes()
    )


def _author() -> User:
    found = User.objects.filter(username="bench.federated").first()
    password = "bench-password-long-enough"  # noqa: S105 - a throwaway benchmark account
    return found or account_create(
        username="bench.federated", email="f@bench.invalid", password=password
    )


def _photo_post(author: User) -> int:
    """Publish (once) a post of ten photos with alt text."""
    existing = author.posts.order_by("-pk").values_list("pk", flat=True).first()
    if existing is not None:
        return existing
    photo = scene_jpeg("lake", seed=2)
    ids = [
        media_upload(
            owner=author, upload=io.BytesIO(photo), size_bytes=len(photo), alt_text=f"Lake {n}"
        ).pk
        for n in range(ITEMS)
    ]
    return services.post_create(author=author, media_ids=ids, caption="Ten lakes #bench").pk
