"""Accounts sent to other servers: an Update of the Person when the profile changes, a
Block and its Undo, and the Delete of an erased account, still signed by its key."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from PIL import Image

from glimpse.accounts.models import User
from glimpse.accounts.services import avatar_set, profile_update
from glimpse.federation.delivery.services import deliveries_requeue_due
from glimpse.federation.keys import actor_key
from glimpse.federation.models import OutgoingActivity
from glimpse.graph.services import block_create, block_delete
from glimpse.privacy.erase import account_erase
from tests.federation.outgoing_fixtures import (
    PUBLIC,
    arrived,
    bodies,
    follows,
    remote_account,
    signed_by,
)
from tests.federation.remote_server import SITE, Remote

Capture = Callable[..., Any]


def test_a_profile_change_sends_an_update_of_the_person(
    remote: Remote, ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _, alice = remote_account(remote, "alice")
    follows(alice, ana)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=ana, display_name="Ana Lima", bio="Photos #lake")
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(picture, "JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        avatar_set(user=ana, upload=io.BytesIO(picture.getvalue()), size_bytes=picture.tell())
    named, pictured = bodies(remote)
    me = f"{SITE}/users/ana"
    assert (named["type"], named["actor"], named["to"]) == ("Update", me, [PUBLIC])
    assert named["id"].startswith(me + "#updates/")
    person = named["object"]
    assert (person["id"], person["type"], person["name"]) == (me, "Person", "Ana Lima")
    assert "@context" not in person
    assert "icon" in pictured["object"]
    assert "icon" not in person
    assert pictured["id"] != named["id"]
    for seen in arrived(remote):
        assert signed_by(seen, remote, ana)


def test_a_block_and_its_undo_go_to_the_blocked_account(
    remote: Remote, ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    alice_peer, alice = remote_account(remote, "alice")
    with django_capture_on_commit_callbacks(execute=True):
        block_create(blocker=ana, blocked=alice)
    with django_capture_on_commit_callbacks(execute=True):
        block_delete(blocker=ana, blocked=alice)
    block, undo = bodies(remote)
    me = f"{SITE}/users/ana"
    assert block["type"] == "Block"
    assert (block["actor"], block["object"]) == (me, alice_peer.uri)
    assert block["id"] == f"{me}#blocks/{alice.pk}"
    assert undo["type"] == "Undo"
    assert undo["object"]["id"] == block["id"]
    for seen in arrived(remote):
        assert signed_by(seen, remote, ana)


def test_a_remote_accounts_block_of_a_local_one_is_not_sent_back(
    remote: Remote, ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _, alice = remote_account(remote, "alice")
    with django_capture_on_commit_callbacks(execute=True):
        block_create(blocker=alice, blocked=ana)
    assert arrived(remote) == []
    assert OutgoingActivity.objects.count() == 0


def test_an_erased_account_sends_the_delete_of_its_actor_signed_by_its_old_key(
    remote: Remote, ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _, alice = remote_account(remote, "alice")
    _, bob = remote_account(remote, "bob", host="other.test")
    follows(alice, ana)
    follows(ana, bob)
    public_pem = actor_key(ana).public_pem
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=ana)
    assert not User.objects.filter(username="ana").exists()
    me = f"{SITE}/users/ana"
    expected = {"id": me + "#delete", "type": "Delete", "actor": me, "object": me, "to": [PUBLIC]}
    for host in ("remote.test", "other.test"):
        (delete,) = bodies(remote, host=host)
        assert {k: v for k, v in delete.items() if k != "@context"} == expected
        assert signed_by(arrived(remote, host=host)[0], remote, ana, public_pem=public_pem)
    # Every delivery is done: the copy of the key is forgotten.
    outgoing = OutgoingActivity.objects.get()
    assert outgoing.actor_id is None
    assert outgoing.signer_private_pem != ""
    deliveries_requeue_due()
    outgoing.refresh_from_db()
    assert outgoing.signer_private_pem == ""


def test_an_erased_remote_account_sends_nothing(
    remote: Remote, ana: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _, alice = remote_account(remote, "alice")
    follows(alice, ana)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=alice)
    assert arrived(remote) == []
    assert OutgoingActivity.objects.count() == 0
