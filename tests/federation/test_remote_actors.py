"""Accounts of other servers against a small ActivityPub server on 127.0.0.1: actor documents
in the shapes Mastodon, Pixelfed and GoToSocial publish, stored as accounts, refreshed,
refused when they claim what their server may not; WebFinger handles; key lookups; and
remote accounts that can never log in.

The test server answers as ``remote.test`` (and ``other.test``), names mapped to loopback;
every connection that is not to loopback fails the test.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.accounts.services import account_create, signup_problems
from glimpse.core.errors import InvalidInput
from glimpse.federation.actors import instance_actor_id
from glimpse.federation.fetch import FetchRefused
from glimpse.federation.keys import actor_key, generate_key_pair
from glimpse.federation.models import RemoteActor
from glimpse.federation.remote.actors import RemoteActorInvalid, actor_store
from glimpse.federation.remote.keys import public_key_for
from glimpse.federation.remote.resolve import ActorNotFound, actor_by_handle, actor_by_uri
from glimpse.federation.signatures import PublicKeyInfo, verify_request
from glimpse.federation.vocabulary import CONTEXT
from tests.conftest import PASSWORD, ApiClient
from tests.federation.remote_server import JRD_JSON, SITE, Remote


@pytest.fixture(scope="module")
def pems() -> list[tuple[str, str]]:
    """Return a few RSA key pairs (private, public) for the remote actors."""
    return [generate_key_pair() for _ in range(3)]


# --- Documents in the shapes other servers publish -----------------------------------------


def mastodon_person(remote: Remote, public_pem: str, name: str = "alice") -> dict[str, Any]:
    """Return a Mastodon account's actor, as Mastodon documents it."""
    me = remote.url(f"/users/{name}")
    return {
        "@context": CONTEXT,
        "id": me,
        "type": "Person",
        "following": f"{me}/following",
        "followers": f"{me}/followers",
        "inbox": f"{me}/inbox",
        "outbox": f"{me}/outbox",
        "featured": f"{me}/collections/featured",
        "preferredUsername": name.capitalize(),
        "name": "Alice  Liddell\n:verified:",
        "summary": "<p>Down the <a href='https://example.org/hole'>rabbit hole</a>.</p><p>Tea?</p>",
        "url": remote.url(f"/@{name}"),
        "manuallyApprovesFollowers": True,
        "discoverable": True,
        "indexable": False,
        "published": "2023-01-02T00:00:00Z",
        "publicKey": {"id": f"{me}#main-key", "owner": me, "publicKeyPem": public_pem},
        "attachment": [
            {"type": "PropertyValue", "name": "Site", "value": "<a href='https://a.example'>a</a>"}
        ],
        "endpoints": {"sharedInbox": remote.url("/inbox")},
        "icon": {"type": "Image", "mediaType": "image/png", "url": remote.url("/avatars/a.png")},
        "image": {"type": "Image", "mediaType": "image/png", "url": remote.url("/headers/a.png")},
        "tag": [],
    }


def pixelfed_person(remote: Remote, public_pem: str) -> dict[str, Any]:
    """Return a Pixelfed account's actor, as Pixelfed publishes it."""
    me = remote.url("/users/photo.fan")
    return {
        "@context": ["https://w3id.org/security/v1", "https://www.w3.org/ns/activitystreams"],
        "id": me,
        "type": "Person",
        "following": f"{me}/following",
        "followers": f"{me}/followers",
        "inbox": f"{me}/inbox",
        "outbox": f"{me}/outbox",
        "preferredUsername": "photo.fan",
        "name": "Photo Fan",
        "summary": "Film & 35mm",
        "url": remote.url("/photo.fan"),
        "manuallyApprovesFollowers": False,
        "publicKey": {"id": f"{me}#main-key", "owner": me, "publicKeyPem": public_pem},
        "icon": {"type": "Image", "mediaType": "image/jpeg", "url": remote.url("/p.jpg")},
        "endpoints": {"sharedInbox": remote.url("/f/inbox")},
    }


def gotosocial_person(remote: Remote, public_pem: str, kind: str = "Person") -> dict[str, Any]:
    """Return a GoToSocial account's actor: its key at ``<actor>/main-key``."""
    me = remote.url("/users/gts_user")
    return {
        "@context": CONTEXT,
        "id": me,
        "type": kind,
        "preferredUsername": "gts_user",
        "name": "",
        "summary": "",
        "inbox": f"{me}/inbox",
        "outbox": f"{me}/outbox",
        "followers": f"{me}/followers",
        "following": f"{me}/following",
        "featured": f"{me}/collections/featured",
        "url": remote.url("/@gts_user"),
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": {"id": f"{me}/main-key", "owner": me, "publicKeyPem": public_pem},
    }


def service_bot(remote: Remote, public_pem: str) -> dict[str, Any]:
    """Return a bot account (a ``Service``), with no shared inbox and no icon."""
    me = remote.url("/bots/weather")
    return {
        "@context": CONTEXT,
        "id": me,
        "type": "Service",
        "preferredUsername": "weather",
        "name": "Weather bot",
        "inbox": f"{me}/inbox",
        "outbox": f"{me}/outbox",
        "publicKey": {"id": f"{me}#main-key", "owner": me, "publicKeyPem": public_pem},
    }


# --- Storing ---------------------------------------------------------------------------------


def test_a_mastodon_person_becomes_an_account(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    user = actor_store(document, fetched_from=document["id"])
    actor = RemoteActor.objects.get(user=user)
    assert user.username == f"alice@{remote.host}"
    assert user.display_name == "Alice Liddell :verified:"
    assert user.bio == "Down the rabbit hole.\n\nTea?"
    assert user.is_private is True
    assert not user.has_usable_password()
    assert user.email.endswith("@remote.invalid")
    assert user.is_remote
    assert actor.uri == document["id"]
    assert actor.domain == remote.host
    assert actor.inbox == document["inbox"]
    assert actor.shared_inbox == remote.url("/inbox")
    assert actor.outbox == document["outbox"]
    assert actor.followers == document["followers"]
    assert actor.following == document["following"]
    assert actor.url == remote.url("/@alice")
    assert actor.key_id == document["id"] + "#main-key"
    assert actor.public_key_pem.strip() == pems[0][1].strip()
    assert actor.actor_type == "Person"
    assert actor.icon_url == remote.url("/avatars/a.png")
    assert actor.raw == document


def test_pixelfed_gotosocial_and_a_bot_are_stored_too(remote: Remote, pems: list[Any]) -> None:
    pixelfed = actor_store(pixelfed_person(remote, pems[0][1]), fetched_from=remote.url("/"))
    gts = actor_store(gotosocial_person(remote, pems[1][1]), fetched_from=remote.url("/"))
    bot = actor_store(service_bot(remote, pems[2][1]), fetched_from=remote.url("/"))
    assert pixelfed.username == f"photo.fan@{remote.host}"
    assert pixelfed.bio == "Film & 35mm"
    assert pixelfed.is_private is False
    assert gts.username == f"gts_user@{remote.host}"
    assert gts.remote_actor.key_id == remote.url("/users/gts_user/main-key")
    assert gts.display_name == ""
    assert bot.remote_actor.actor_type == "Service"
    assert bot.remote_actor.shared_inbox == ""
    assert bot.remote_actor.icon_url == ""
    assert bot.remote_actor.followers == ""


def test_storing_the_same_document_twice_changes_nothing(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    first = actor_store(document, fetched_from=document["id"])
    before = RemoteActor.objects.values().get(user=first)
    user_before = User.objects.values().get(pk=first.pk)
    second = actor_store(copy.deepcopy(document), fetched_from=document["id"])
    assert second.pk == first.pk
    assert User.objects.count() == 1
    assert RemoteActor.objects.count() == 1
    after = RemoteActor.objects.values().get(user=first)
    assert {k: v for k, v in after.items() if k != "fetched_at"} == {
        k: v for k, v in before.items() if k != "fetched_at"
    }
    assert User.objects.values().get(pk=first.pk) == user_before


def test_an_updated_document_updates_the_account(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    user = actor_store(document, fetched_from=document["id"])
    changed = {
        **document,
        "name": "Alice",
        "summary": "<p>New bio</p>",
        "manuallyApprovesFollowers": False,
        "publicKey": {**document["publicKey"], "publicKeyPem": pems[1][1]},
    }
    again = actor_store(changed, fetched_from=document["id"])
    again.refresh_from_db()
    assert again.pk == user.pk
    assert (again.display_name, again.bio, again.is_private) == ("Alice", "New bio", False)
    assert again.remote_actor.public_key_pem.strip() == pems[1][1].strip()


def test_long_names_and_bios_are_clipped(remote: Remote, pems: list[Any]) -> None:
    document = {**service_bot(remote, pems[0][1]), "name": "n" * 100, "summary": "b" * 400}
    user = actor_store(document, fetched_from=document["id"])
    assert len(user.display_name) == 64
    assert user.display_name.endswith("…")
    assert len(user.bio) == 150
    assert user.bio.endswith("…")


def test_a_name_given_again_moves_the_old_account_aside(remote: Remote, pems: list[Any]) -> None:
    old = actor_store(mastodon_person(remote, pems[0][1]), fetched_from=remote.url("/"))
    reborn = mastodon_person(remote, pems[1][1], name="alice2")
    reborn["preferredUsername"] = "alice"
    new = actor_store(reborn, fetched_from=remote.url("/"))
    old.refresh_from_db()
    assert new.pk != old.pk
    assert new.username == f"alice@{remote.host}"
    assert old.username == f"alice@{remote.host}~1"
    assert old.remote_actor.uri == remote.url("/users/alice")


def _refused(document: dict[str, Any], fetched_from: str, reason: str) -> None:
    """Assert that a document is refused for ``reason`` and that nothing was written."""
    with pytest.raises(RemoteActorInvalid, match=reason):
        actor_store(document, fetched_from=fetched_from)
    assert User.objects.count() == 0
    assert RemoteActor.objects.count() == 0


def test_an_actor_claiming_another_host_is_refused(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    _refused(document, remote.url("/", host="other.test"), "not on the host it came from")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"inbox": None}, "inbox"),
        ({"inbox": "https://elsewhere.example/inbox"}, "inbox is not on the actor's host"),
        ({"type": "Note"}, "not an actor type"),
        ({"preferredUsername": None}, "preferredUsername"),
        ({"preferredUsername": "a@b"}, "preferredUsername"),
        ({"preferredUsername": "a b"}, "preferredUsername"),
    ],
)
def test_malformed_actors_are_refused(
    remote: Remote, pems: list[Any], change: dict[str, Any], reason: str
) -> None:
    document = {**mastodon_person(remote, pems[0][1]), **change}
    _refused(document, document["id"], reason)


def test_a_bad_key_is_refused(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    pem = "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n"
    document["publicKey"]["publicKeyPem"] = pem
    _refused(document, document["id"], "PEM cannot be read")


def test_a_key_owned_by_another_actor_is_refused(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    document["publicKey"]["owner"] = remote.url("/users/mallory")
    _refused(document, document["id"], "no public key owned by the actor")


def test_a_key_on_another_host_is_refused(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    document["publicKey"]["id"] = remote.url("/users/alice#main-key", host="other.test")
    _refused(document, document["id"], "not on the actor's host")


def test_an_actor_of_this_server_is_never_stored_as_remote(remote: Remote, pems: list[Any]) -> None:
    document = {**service_bot(remote, pems[0][1]), "id": f"{SITE}/users/ana"}
    document["inbox"] = f"{SITE}/users/ana/inbox"
    document["publicKey"] = {**document["publicKey"], "id": f"{SITE}/users/ana#main-key"}
    document["publicKey"]["owner"] = document["id"]
    _refused(document, f"{SITE}/users/ana", "one of this server's")


def test_plain_http_to_a_real_host_is_refused(remote: Remote, pems: list[Any]) -> None:
    document = {**mastodon_person(remote, pems[0][1]), "id": "http://social.example/users/a"}
    _refused(document, "http://social.example/users/a", "not an https address")


# --- Fetching by address -----------------------------------------------------------------------


def test_an_actor_is_fetched_signed_by_the_instance(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    remote.serve("/users/alice", document)
    user = actor_by_uri(document["id"])
    assert user.username == f"alice@{remote.host}"
    [seen] = remote.asked("/users/alice")
    instance = PublicKeyInfo(actor_key(None).public_pem, instance_actor_id())
    verified = verify_request(
        method="GET",
        url=document["id"],
        headers=seen.headers,
        body=b"",
        key_lookup=lambda key_id, refresh: (
            instance if key_id == instance.actor_id + "#main-key" else None
        ),
    )
    assert verified.actor_id == f"{SITE}/actor"
    assert "application/activity+json" in seen.headers["accept"]


def test_a_fresh_actor_is_not_fetched_again_a_stale_one_is(
    remote: Remote, pems: list[Any], settings: Any
) -> None:
    document = mastodon_person(remote, pems[0][1])
    remote.serve("/users/alice", document)
    user = actor_by_uri(document["id"])
    assert actor_by_uri(document["id"]).pk == user.pk
    assert len(remote.asked("/users/alice")) == 1
    remote.serve("/users/alice", {**document, "name": "Renamed"})
    RemoteActor.objects.filter(user=user).update(
        fetched_at=dt.datetime.now(dt.UTC)
        - dt.timedelta(seconds=settings.GLIMPSE_FEDERATION_ACTOR_TTL + 1)
    )
    assert actor_by_uri(document["id"]).display_name == "Renamed"
    assert actor_by_uri(document["id"], refresh=True).pk == user.pk
    assert len(remote.asked("/users/alice")) == 3


def test_an_actor_served_by_another_host_is_refused(remote: Remote, pems: list[Any]) -> None:
    # other.test answers a document that claims an id on remote.test.
    document = mastodon_person(remote, pems[0][1])
    remote.serve("/users/alice", document)
    with pytest.raises(RemoteActorInvalid, match="not on the host it came from"):
        actor_by_uri(remote.url("/users/alice", host="other.test"))
    assert RemoteActor.objects.count() == 0


def test_an_actor_is_judged_by_where_a_redirect_led(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    remote.serve("/users/alice", document)
    remote.redirects["/people/alice"] = remote.url("/users/alice", host="other.test")
    with pytest.raises(RemoteActorInvalid, match="not on the host it came from"):
        actor_by_uri(remote.url("/people/alice"))
    assert len(remote.asked("/users/alice")) == 1  # fetched, from other.test, then refused
    assert RemoteActor.objects.count() == 0
    remote.redirects["/people/alice"] = remote.url("/users/alice")
    assert actor_by_uri(remote.url("/people/alice")).username == f"alice@{remote.host}"


def test_nothing_is_fetched_while_federation_is_off(
    remote: Remote, pems: list[Any], settings: Any
) -> None:
    settings.GLIMPSE_FEDERATION = False
    remote.serve("/users/alice", mastodon_person(remote, pems[0][1]))
    with pytest.raises(FetchRefused, match="federation is off"):
        actor_by_uri(remote.url("/users/alice"))
    assert remote.seen == []


def test_an_address_of_this_server_is_the_local_account(remote: Remote, make_user: Any) -> None:
    ana = make_user("ana")
    assert actor_by_uri(f"{SITE}/users/ana").pk == ana.pk
    with pytest.raises(ActorNotFound):
        actor_by_uri(f"{SITE}/users/nobody")
    assert remote.seen == []


# --- Handles -------------------------------------------------------------------------------


def test_a_handle_is_found_through_webfinger(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    remote.serve("/users/alice", document)
    remote.webfinger("alice", document["id"])
    user = actor_by_handle(f"@Alice@{remote.host.upper()}")
    assert user.username == f"alice@{remote.host}"
    assert remote.asked(f"/.well-known/webfinger?resource=acct:alice@{remote.host}")
    assert actor_by_handle(f"alice@{remote.host}").pk == user.pk
    assert len(remote.seen) == 2  # the second time, from the store


def test_a_handle_pointing_to_another_host_is_refused(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    remote.serve("/users/alice", document)
    remote.webfinger("alice", remote.url("/users/alice", host="other.test"))
    with pytest.raises(ActorNotFound, match="another host"):
        actor_by_handle(f"alice@{remote.host}")
    assert remote.asked("/users/alice") == []
    assert RemoteActor.objects.count() == 0


def test_a_handle_naming_another_actor_is_refused(remote: Remote, pems: list[Any]) -> None:
    remote.serve("/users/alice", mastodon_person(remote, pems[0][1]))
    remote.webfinger("bob", remote.url("/users/alice"))
    with pytest.raises(ActorNotFound, match="is alice@"):
        actor_by_handle(f"bob@{remote.host}")


def test_a_handle_without_an_actor_link_is_not_found(remote: Remote) -> None:
    remote.serve(
        f"/.well-known/webfinger?resource=acct:carol@{remote.host}",
        {"subject": f"acct:carol@{remote.host}", "links": []},
        JRD_JSON,
    )
    with pytest.raises(ActorNotFound, match="names no ActivityPub actor"):
        actor_by_handle(f"carol@{remote.host}")
    with pytest.raises(FetchRefused):
        actor_by_handle(f"dave@{remote.host}")  # the server answers 404


@pytest.mark.parametrize("handle", ["alice", "@alice", "a@b@c", "a/b@remote.test", ""])
def test_malformed_handles_are_refused(remote: Remote, handle: str) -> None:
    with pytest.raises(ActorNotFound):
        actor_by_handle(handle)
    assert remote.seen == []


def test_a_local_handle_needs_no_request(remote: Remote, make_user: Any) -> None:
    ana = make_user("ana")
    assert actor_by_handle("@ana@glimpse.example").pk == ana.pk
    assert actor_by_handle("ANA@Glimpse.Example").pk == ana.pk
    with pytest.raises(ActorNotFound):
        actor_by_handle("nobody@glimpse.example")
    assert remote.seen == []


# --- Keys --------------------------------------------------------------------------------------


def test_a_known_key_is_found_without_a_request(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    actor_store(document, fetched_from=document["id"])
    found = public_key_for(document["id"] + "#main-key", False)
    assert found is not None
    assert found.actor_id == document["id"]
    assert found.public_key_pem.strip() == pems[0][1].strip()
    assert remote.seen == []


def test_an_unknown_key_fetches_its_actor(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    remote.serve("/users/alice", document)
    found = public_key_for(document["id"] + "#main-key", False)
    assert found is not None
    assert found.actor_id == document["id"]
    assert len(remote.asked("/users/alice")) == 1
    assert RemoteActor.objects.filter(uri=document["id"]).exists()


def test_a_key_at_its_own_address_leads_to_its_owner(remote: Remote, pems: list[Any]) -> None:
    document = gotosocial_person(remote, pems[0][1])
    remote.serve("/users/gts_user", document)
    # What GoToSocial answers at a key's address: a stub of the actor holding the key.
    stub = {k: document[k] for k in ("@context", "id", "type", "preferredUsername", "publicKey")}
    remote.serve("/users/gts_user/main-key", stub)
    found = public_key_for(remote.url("/users/gts_user/main-key"), False)
    assert found is not None
    assert found.actor_id == document["id"]


def test_a_rotated_key_is_found_on_refresh(remote: Remote, pems: list[Any]) -> None:
    document = mastodon_person(remote, pems[0][1])
    user = actor_store(document, fetched_from=document["id"])
    rotated = copy.deepcopy(document)
    rotated["publicKey"]["publicKeyPem"] = pems[1][1]
    remote.serve("/users/alice", rotated)
    key_id = document["id"] + "#main-key"
    # Stored a moment ago: a refresh asks nothing yet (bad signatures cannot force fetches).
    assert public_key_for(key_id, True).public_key_pem.strip() == pems[0][1].strip()  # type: ignore[union-attr]
    assert remote.seen == []
    RemoteActor.objects.filter(user=user).update(
        fetched_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    )
    assert public_key_for(key_id, False).public_key_pem.strip() == pems[0][1].strip()  # type: ignore[union-attr]
    assert public_key_for(key_id, True).public_key_pem.strip() == pems[1][1].strip()  # type: ignore[union-attr]
    assert len(remote.asked("/users/alice")) == 1


def test_a_key_that_cannot_be_found_is_none(remote: Remote, pems: list[Any]) -> None:
    assert public_key_for(remote.url("/users/ghost#main-key"), False) is None
    stray = {"id": remote.url("/keys/1"), "owner": remote.url("/users/x", host="other.test")}
    remote.serve("/keys/1", stray)
    assert public_key_for(remote.url("/keys/1"), False) is None
    assert public_key_for(f"{SITE}/users/ana#main-key", False) is None


def test_a_signed_request_verifies_with_the_lookup(remote: Remote, pems: list[Any]) -> None:
    from glimpse.federation.signatures import sign_request

    document = mastodon_person(remote, pems[0][1])
    remote.serve("/users/alice", document)
    url = f"{SITE}/users/ana/inbox"
    headers = sign_request(
        method="POST",
        url=url,
        headers={"Content-Type": "application/activity+json"},
        body=b"{}",
        key_id=document["id"] + "#main-key",
        private_key_pem=pems[0][0],
    )
    verified = verify_request(
        method="POST", url=url, headers=headers, body=b"{}", key_lookup=public_key_for
    )
    assert verified.actor_id == document["id"]


# --- Remote accounts never log in; local names never hold "@" --------------------------------


def test_a_remote_account_cannot_log_in_or_get_a_token(
    remote: Remote, pems: list[Any], client: Client
) -> None:
    user = actor_store(mastodon_person(remote, pems[0][1]), fetched_from=remote.url("/"))
    # The stored password (Django's unusable marker) and an ordinary one, by name and by email.
    for login in (user.username, user.email):
        for password in (user.password, PASSWORD):
            form = client.post(reverse("accounts:login"), {"login": login, "password": password})
            assert form.status_code == 400
            token = ApiClient().post("auth/token", {"username": login, "password": password})
            assert token.status_code == 401
    assert "_auth_user_id" not in client.session
    assert not user.api_tokens.exists()


@pytest.mark.parametrize("username", ["ana@remote.test", "ana@glimpse.example", "@ana"])
def test_local_sign_up_refuses_an_at_sign(db: None, username: str) -> None:
    assert "username" in signup_problems(username=username, email="a@example.com", password="x")
    with pytest.raises(InvalidInput):
        account_create(username=username, email="a@example.com", password="a-long-passphrase-1")
    assert User.objects.count() == 0
