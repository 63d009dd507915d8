"""A Glimpse account moving, against the test server: its aliases (published as
``alsoKnownAs``), and moving it to an account elsewhere that lists it. The ``Move`` reaches
its followers' servers, its local followers follow the new account, its actor says
``movedTo``, its profile says where it went, and it no longer posts. Only the owner moves
it, with the right password, once a month at most; a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client, TestCase

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.api import api
from glimpse.core.errors import PermissionDenied
from glimpse.federation.actors import actor_id
from glimpse.federation.models import AccountAlias, OutgoingActivity
from glimpse.federation.moves.services import account_move
from glimpse.federation.remote.resolve import actor_by_uri
from glimpse.graph.models import Follow, FollowRequest
from glimpse.graph.services import follow_create
from glimpse.posts.services import comment_create, post_create
from tests.conftest import PASSWORD, ApiClient
from tests.federation.remote_server import Peer, Remote, peer
from tests.mastodon.conftest import bearer_of, client_api


@contextmanager
def committed() -> Iterator[None]:
    """Run what commits in the block, and the jobs it queues, as a worker would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    user: User = make_user("ana", display_name="Ana Lima")
    return user


@pytest.fixture
def as_ana(ana: User) -> ApiClient:
    _, secret = token_create(user=ana, name="tests")
    return ApiClient(secret)


@pytest.fixture
def bob(remote: Remote) -> Peer:
    """Ana's new account, elsewhere, which lists her old one."""
    new = peer(remote, "bob")
    new.document["alsoKnownAs"] = [actor_id("ana")]
    remote.serve("/users/bob", new.document)
    return new


def elsewhere(remote: Remote, name: str) -> Peer:
    """Serve a peer on another host name (other.test), with its own shared inbox."""
    found = peer(remote, name)
    document = found.document
    for key in ("id", "inbox", "outbox", "followers", "following", "url"):
        document[key] = document[key].replace("remote.test", "other.test")
    document["publicKey"]["id"] = document["id"] + "#main-key"
    document["publicKey"]["owner"] = document["id"]
    document["endpoints"] = {"sharedInbox": remote.url("/other-inbox", host="other.test")}
    remote.serve(urlsplit(document["id"]).path, document)
    return found


def followed_by(who: Peer, whom: User) -> None:
    """Make a peer follow a local account (its Follow arrives and is accepted)."""
    who.send(who.activity("Follow", actor_id(whom.username)))
    assert Follow.objects.filter(follower=actor_by_uri(who.uri), followee=whom).exists()


def handle(remote: Remote, name: str) -> str:
    return f"@{name}@{remote.host}"


def moves_in(remote: Remote, path: str) -> list[dict[str, Any]]:
    return [a for a in remote.posted(path) if a["type"] == "Move"]


def person(username: str) -> dict[str, Any]:
    response = Client().get(f"/users/{username}", HTTP_ACCEPT="application/activity+json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def unchanged(ana: User) -> None:
    """Assert that Ana did not move, and nothing was sent for it."""
    ana.refresh_from_db()
    assert (ana.moved_to_id, ana.moved_at) == (None, None)
    assert not any(
        '"Move"' in body for body in OutgoingActivity.objects.values_list("body", flat=True)
    )
    assert "movedTo" not in person("ana")


# --- Aliases -------------------------------------------------------------------------------


def test_an_alias_is_found_then_published_as_also_known_as(
    remote: Remote, as_ana: ApiClient
) -> None:
    old = peer(remote, "anaold")
    answer = as_ana.post("accounts/me/aliases", {"address": handle(remote, "anaold")})
    assert answer.status_code == 201, answer.json()
    assert answer.json()["handle"] == f"@anaold@{remote.host}"
    assert answer.json()["uri"] == old.uri
    assert person("ana")["alsoKnownAs"] == [old.uri]
    listed = as_ana.get("accounts/me/aliases").json()["items"]
    assert [item["uri"] for item in listed] == [old.uri]
    # Twice is one alias.
    assert as_ana.post("accounts/me/aliases", {"address": old.uri}).status_code == 201
    assert AccountAlias.objects.count() == 1
    assert as_ana.delete(f"accounts/me/aliases/{listed[0]['id']}").status_code == 204
    assert "alsoKnownAs" not in person("ana")


def test_an_alias_nobody_answers_to_is_refused_with_what_to_do(
    remote: Remote, as_ana: ApiClient
) -> None:
    answer = as_ana.post("accounts/me/aliases", {"address": handle(remote, "ghost")})
    assert answer.status_code == 422
    (message,) = answer.json()["error"]["fields"]["address"]
    assert "No account answers" in message
    assert "@name@server" in message
    assert as_ana.post("accounts/me/aliases", {"address": "ana"}).status_code == 422
    assert not AccountAlias.objects.exists()


def test_nobody_else_removes_an_alias(
    remote: Remote, ana: User, as_ana: ApiClient, make_user: Callable[..., User]
) -> None:
    peer(remote, "anaold")
    alias = as_ana.post("accounts/me/aliases", {"address": handle(remote, "anaold")}).json()
    _, secret = token_create(user=make_user("bea"), name="tests")
    answer = ApiClient(secret).delete(f"accounts/me/aliases/{alias['id']}")
    assert answer.status_code == 404
    assert ApiClient().delete(f"accounts/me/aliases/{alias['id']}").status_code == 401
    assert AccountAlias.objects.filter(user=ana).count() == 1


# --- Moving out ----------------------------------------------------------------------------


def test_moving_tells_the_followers_servers_and_moves_local_followers(
    remote: Remote, ana: User, as_ana: ApiClient, bob: Peer, make_user: Callable[..., User]
) -> None:
    followed_by(peer(remote, "alice"), ana)
    followed_by(peer(remote, "carl"), ana)  # the same server: one Move to its shared inbox
    followed_by(elsewhere(remote, "dora"), ana)
    eve = make_user("eve")
    follow_create(follower=eve, followee=ana)
    with committed():
        answer = as_ana.post(
            "accounts/me/move", {"target": handle(remote, "bob"), "password": PASSWORD}
        )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["moved_to"] == f"@bob@{remote.host}"
    assert answer.json()["next_move_at"] is not None
    expected = {"actor": actor_id("ana"), "object": actor_id("ana"), "target": bob.uri}
    for inbox in ("/inbox", "/other-inbox"):
        (move,) = moves_in(remote, inbox)
        assert {key: move[key] for key in expected} == expected
    # The actor says where it went.
    assert person("ana")["movedTo"] == bob.uri
    # Eve, here, asked to follow the new account and left the old one.
    new = actor_by_uri(bob.uri)
    assert FollowRequest.objects.filter(requester=eve, target=new).exists()
    assert not Follow.objects.filter(follower=eve, followee=ana).exists()
    (follow,) = [a for a in remote.posted(bob.inbox) if a["type"] == "Follow"]
    assert (follow["actor"], follow["object"]) == (actor_id("eve"), bob.uri)
    # The followers elsewhere stay until their servers move them.
    assert Follow.objects.filter(followee=ana).count() == 3


def test_a_moved_account_no_longer_posts(remote: Remote, ana: User, bob: Peer) -> None:
    account_move(user=ana, target=bob.uri, password=PASSWORD)
    with pytest.raises(PermissionDenied, match="moved"):
        post_create(author=ana, media_ids=[])
    with pytest.raises(PermissionDenied, match="moved"):
        comment_create(author=ana, post_id=1, text="hello")


def test_the_profile_says_where_the_account_moved(
    remote: Remote, ana: User, as_ana: ApiClient, bob: Peer
) -> None:
    as_ana.post("accounts/me/move", {"target": bob.uri, "password": PASSWORD})
    new = actor_by_uri(bob.uri)
    page = Client().get("/ana/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "has moved to" in text
    assert f'href="/{new.username}/"' in text


def test_the_client_api_shows_the_move(
    remote: Remote, ana: User, as_ana: ApiClient, bob: Peer
) -> None:
    mastodon = client_api()
    assert "moved" not in mastodon.get(f"accounts/{ana.pk}").json()
    as_ana.post("accounts/me/move", {"target": bob.uri, "password": PASSWORD})
    new = actor_by_uri(bob.uri)
    entity = mastodon.get(f"accounts/{ana.pk}").json()
    assert entity["moved"]["id"] == str(new.pk)
    assert entity["moved"]["acct"] == new.username
    assert "moved" not in entity["moved"]
    assert mastodon.get("accounts/verify_credentials", **bearer_of(ana)).json()["moved"]


def test_the_wrong_password_moves_nothing(
    remote: Remote, ana: User, as_ana: ApiClient, bob: Peer, make_user: Callable[..., User]
) -> None:
    eve = make_user("eve")
    follow_create(follower=eve, followee=ana)
    followed_by(peer(remote, "alice"), ana)
    with committed():
        answer = as_ana.post("accounts/me/move", {"target": bob.uri, "password": "not it"})
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"]["password"] == ["This is not your password."]
    unchanged(ana)
    assert Follow.objects.filter(follower=eve, followee=ana).exists()
    assert moves_in(remote, "/inbox") == []


def test_a_new_account_that_does_not_list_this_one_is_refused(
    remote: Remote, ana: User, as_ana: ApiClient
) -> None:
    peer(remote, "bob")  # no alsoKnownAs
    with committed():
        answer = as_ana.post(
            "accounts/me/move", {"target": handle(remote, "bob"), "password": PASSWORD}
        )
    assert answer.status_code == 422
    (message,) = answer.json()["error"]["fields"]["target"]
    assert message.startswith("Add @ana@glimpse.example as an alias on your new account first")
    unchanged(ana)


def test_only_the_owner_moves_the_account(
    remote: Remote, ana: User, bob: Peer, make_user: Callable[..., User]
) -> None:
    bea = make_user("bea")
    _, secret = token_create(user=bea, name="tests")
    body = {"target": bob.uri, "password": PASSWORD}
    # Anonymous: refused. Bea, with Ana's password (the same test password): moves only
    # herself, and her new account does not list her.
    assert ApiClient().post("accounts/me/move", body).status_code == 401
    assert ApiClient(secret).post("accounts/me/move", body).status_code == 422
    # The web page: a visitor is sent to log in.
    page = Client().post("/accounts/settings/moving/move/", body)
    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]
    unchanged(ana)
    bea.refresh_from_db()
    assert bea.moved_to_id is None


def test_an_account_moves_again_only_after_thirty_days(
    remote: Remote, ana: User, as_ana: ApiClient, bob: Peer
) -> None:
    as_ana.post("accounts/me/move", {"target": bob.uri, "password": PASSWORD})
    cai = peer(remote, "cai")
    cai.document["alsoKnownAs"] = [actor_id("ana")]
    remote.serve("/users/cai", cai.document)
    again = {"target": cai.uri, "password": PASSWORD}
    answer = as_ana.post("accounts/me/move", again)
    assert answer.status_code == 409
    assert "You can move it again from" in answer.json()["error"]["message"]
    ana.refresh_from_db()
    assert ana.moved_to_id == actor_by_uri(bob.uri).pk
    assert ana.moved_at is not None
    User.objects.filter(pk=ana.pk).update(moved_at=ana.moved_at - timedelta(days=31))
    assert as_ana.post("accounts/me/move", again).status_code == 200
    ana.refresh_from_db()
    assert ana.moved_to_id == actor_by_uri(cai.uri).pk


def test_the_settings_page_moves_the_account(remote: Remote, ana: User, bob: Peer) -> None:
    browser = Client()
    browser.force_login(ana)
    page = browser.get("/accounts/settings/moving/")
    assert page.status_code == 200
    assert "@ana@glimpse.example" in page.content.decode()
    assert "/accounts/settings/moving/" in browser.get("/accounts/settings/").content.decode()
    wrong = browser.post(
        "/accounts/settings/moving/move/", {"target": bob.uri, "password": "not it"}
    )
    assert wrong.status_code == 422
    assert "This is not your password." in wrong.content.decode()
    unchanged(ana)
    moved = browser.post(
        "/accounts/settings/moving/move/", {"target": bob.uri, "password": PASSWORD}
    )
    assert moved.status_code == 302
    ana.refresh_from_db()
    assert ana.moved_to_id == actor_by_uri(bob.uri).pk
    assert "This account has moved" in browser.get("/accounts/settings/moving/").content.decode()


def test_nothing_moves_while_the_server_does_not_federate(
    settings: Any, ana: User, as_ana: ApiClient
) -> None:
    settings.GLIMPSE_FEDERATION = False
    assert as_ana.get("accounts/me/move").status_code == 404
    assert as_ana.post("accounts/me/aliases", {"address": "a@b.example"}).status_code == 404
    browser = Client()
    browser.force_login(ana)
    assert browser.get("/accounts/settings/moving/").status_code == 404
    assert "/accounts/settings/moving/" not in browser.get("/accounts/settings/").content.decode()


def test_the_moving_operations_declare_their_errors() -> None:
    paths = api.get_openapi_schema()["paths"]
    mine = {path: ops for path, ops in paths.items() if "/accounts/me/aliases" in path}
    mine.update({path: ops for path, ops in paths.items() if path.endswith("/accounts/me/move")})
    assert len(mine) == 3
    for operations in mine.values():
        for method, operation in operations.items():
            codes = {str(code) for code in operation["responses"]}
            assert {"401", "404"} <= codes
            if method in ("post", "delete"):
                assert "422" in codes
            assert operation.get("summary")
            assert operation.get("description")
