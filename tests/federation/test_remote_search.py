"""Finding people of other servers: a handle (``@name@host``) or an account's address searched
on the search page, in Glimpse's API and in the client API is looked up on its server and
comes first; only for signed-in people, within a rate limit and a time bound, with a clear
notice when it fails, and nothing asked while federation is off or as one types."""

from __future__ import annotations

import html
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.federation.models import RemoteObject
from glimpse.graph import services as graph
from tests.conftest import PASSWORD, ApiClient
from tests.federation.remote_server import Peer, Remote, peer
from tests.mastodon.conftest import bearer_of, client_api

WEBFINGER = "/.well-known/webfinger?resource=acct:{}"


@pytest.fixture
def silent_port(settings: Any, remote: Remote) -> Iterator[int]:
    """A loopback port that takes connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = [remote.port, port]
        yield port


def web(user: User | None = None) -> Client:
    """Return a web client, logged in as ``user`` when given."""
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def search_page(client: Client, q: str, **params: str) -> str:
    """Return the search page's text for a query."""
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def notice(page: str) -> str:
    """Return the text of the page's notice, or "" when it has none."""
    start = page.find("data-notice>")
    if start < 0:
        return ""
    body = page[start:]
    return body[body.find("<span>") + 6 : body.find("</span>")]


def first_account(page: str) -> str:
    """Return the profile address of the first account in the results."""
    href = page.rindex('href="', 0, page.index('data-result="account"')) + len('href="')
    return page[href : page.index('"', href)]


def glimpse_api(user: User | None) -> ApiClient:
    """Return a client of Glimpse's API, with a token of ``user`` when given."""
    if user is None:
        return ApiClient()
    _, secret = token_create(user=user, name="tests")
    return ApiClient(secret)


# --- The search page ----------------------------------------------------------------------


@pytest.mark.parametrize("form", ["@alice@{host}", "alice@{host}", "ALICE@{host}"])
def test_a_handle_sent_from_the_search_page_finds_the_account_first(
    remote: Remote, alice: Peer, ana: User, make_user: Callable[..., User], form: str
) -> None:
    make_user("alicette")  # a local account the words match too
    page = search_page(web(ana), form.format(host=remote.host))
    assert first_account(page) == f"/alice@{remote.host}/"
    assert notice(page) == ""
    assert User.objects.filter(username=f"alice@{remote.host}").exists()
    assert len(remote.asked(WEBFINGER.format(f"alice@{remote.host}"))) == 1


@pytest.mark.parametrize("which", ["actor", "profile page"])
def test_an_address_pasted_finds_the_account(
    remote: Remote, alice: Peer, ana: User, which: str
) -> None:
    address = alice.uri if which == "actor" else remote.url("/@alice")
    if which == "profile page":  # the page answers the actor to a server asking for one
        remote.serve("/@alice", alice.document)
    page = search_page(web(ana), address, type="accounts")
    assert first_account(page) == f"/alice@{remote.host}/"
    # Known now: the same address again asks nothing more.
    asked = len(remote.seen)
    page = search_page(web(ana), address, type="accounts")
    assert first_account(page) == f"/alice@{remote.host}/"
    assert len(remote.seen) == asked


def test_typing_asks_no_server_and_offers_the_look_up(
    remote: Remote, alice: Peer, ana: User
) -> None:
    client = web(ana)
    for typed in ("@alice@r", f"@alice@remote.test:{remote.port}"):
        response = client.get("/search/", {"q": typed}, headers={"HX-Request": "true"})
        assert response.status_code == 200
    assert remote.seen == []
    body = html.unescape(response.content.decode())
    assert f"Look up alice@{remote.host}" in body
    assert "resolve=1" in body
    # Following the offer looks it up.
    page = search_page(client, f"@alice@{remote.host}", resolve="1")
    assert first_account(page) == f"/alice@{remote.host}/"


def test_an_anonymous_search_asks_nothing_and_says_to_log_in(remote: Remote, alice: Peer) -> None:
    page = search_page(web(), f"@alice@{remote.host}")
    assert notice(page) == "Log in to look up people of other servers."
    assert remote.seen == []
    assert not User.objects.filter(username__contains="@").exists()


def test_an_unknown_name_says_so(remote: Remote, ana: User) -> None:
    page = search_page(web(ana), f"@bob@{remote.host}")
    assert notice(page) == f"No account named bob on {remote.host}."
    assert 'data-result="account"' not in page


def test_a_server_that_cannot_be_reached_says_so(remote: Remote, ana: User) -> None:
    # A port the rules do not let federation reach: refused before any connection.
    page = search_page(web(ana), "@bob@other.test:9")
    assert notice(page) == "Couldn't reach other.test:9. Check the address, or try again later."


def test_a_silent_server_is_given_up_on_in_time(
    remote: Remote, ana: User, silent_port: int, settings: Any
) -> None:
    settings.GLIMPSE_FEDERATION_LOOKUP_SECONDS = 1.0
    started = time.monotonic()
    page = search_page(web(ana), f"@bob@other.test:{silent_port}")
    assert time.monotonic() - started < 4
    assert notice(page).startswith(f"Couldn't reach other.test:{silent_port}.")


def test_a_post_address_finds_no_account_and_stores_nothing(
    remote: Remote, alice: Peer, ana: User
) -> None:
    note = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": remote.url("/users/alice/statuses/1"),
        "type": "Note",
        "attributedTo": alice.uri,
        "content": "<p>Hello</p>",
    }
    remote.serve("/users/alice/statuses/1", note)
    address = remote.url("/users/alice/statuses/1")
    page = search_page(web(ana), address, type="accounts")
    assert notice(page) == f"No account was found at {address}."
    assert not User.objects.filter(username__contains="@").exists()
    assert not RemoteObject.objects.exists()


def test_an_account_the_viewer_blocks_is_not_found(remote: Remote, alice: Peer, ana: User) -> None:
    search_page(web(ana), f"@alice@{remote.host}")
    found = User.objects.get(username=f"alice@{remote.host}")
    graph.block_create(blocker=ana, blocked=found)
    page = search_page(web(ana), f"@alice@{remote.host}")
    assert notice(page) == f"No account named alice on {remote.host}."
    assert f"/alice@{remote.host}/" not in page


def test_look_ups_are_limited_per_account(
    remote: Remote, ana: User, make_user: Callable[..., User], settings: Any
) -> None:
    settings.GLIMPSE_RATE_REMOTE_LOOKUPS = (2, 900)
    for name in ("bob", "carol"):
        peer(remote, name)
        assert notice(search_page(web(ana), f"@{name}@{remote.host}")) == ""
    page = search_page(web(ana), f"@dora@{remote.host}")
    assert notice(page).startswith("You looked up many people of other servers. Try again in")
    assert remote.asked(WEBFINGER.format(f"dora@{remote.host}")) == []
    # Another account has its own count.
    peer(remote, "dora")
    page = search_page(web(make_user("ben")), f"@dora@{remote.host}")
    assert first_account(page) == f"/dora@{remote.host}/"


def test_nothing_is_asked_while_federation_is_off(
    remote: Remote, alice: Peer, ana: User, settings: Any
) -> None:
    settings.GLIMPSE_FEDERATION = False
    client = web(ana)
    page = search_page(client, f"@alice@{remote.host}")
    assert notice(page) == ""
    assert notice(search_page(web(), f"@alice@{remote.host}")) == ""  # nor to log in
    typed = client.get(
        "/search/", {"q": f"@alice@{remote.host}"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Look up" not in typed
    assert remote.seen == []


# --- Glimpse's API ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["accounts", "top"])
def test_the_api_looks_up_with_resolve(remote: Remote, alice: Peer, ana: User, kind: str) -> None:
    api = glimpse_api(ana)
    q = f"@alice@{remote.host}"
    plain = api.get(f"search?q={q}&type={kind}")
    assert plain.status_code == 200
    assert remote.seen == []  # not without resolve: clients search as one types
    response = api.get(f"search?q={q}&type={kind}&resolve=true")
    assert response.status_code == 200
    body = response.json()
    accounts = body["items"] if kind == "accounts" else body["accounts"]
    assert accounts[0]["username"] == f"alice@{remote.host}"
    assert body["notice"] is None


def test_the_api_tells_why_nothing_was_found(remote: Remote, ana: User) -> None:
    response = glimpse_api(ana).get(f"search?q=@bob@{remote.host}&type=accounts&resolve=true")
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert response.json()["notice"] == f"No account named bob on {remote.host}."
    anonymous = glimpse_api(None).get(f"search?q=@bob@{remote.host}&resolve=true")
    assert anonymous.json()["notice"] == "Log in to look up people of other servers."


# --- The client API -----------------------------------------------------------------------


def test_the_client_api_search_resolves_a_handle(remote: Remote, alice: Peer, ana: User) -> None:
    response = Client().get(
        "/api/v2/search", {"q": f"@alice@{remote.host}", "resolve": "true"}, **bearer_of(ana)
    )
    assert response.status_code == 200
    accounts = response.json()["accounts"]
    assert accounts[0]["acct"] == f"alice@{remote.host}"
    assert accounts[0]["username"] == "alice"


def test_the_client_api_search_without_a_token_may_not_resolve(remote: Remote, alice: Peer) -> None:
    response = Client().get("/api/v2/search", {"q": f"@alice@{remote.host}", "resolve": "true"})
    assert response.status_code == 401
    assert remote.seen == []


def test_the_client_api_search_answers_no_account_for_a_failed_look_up(
    remote: Remote, ana: User
) -> None:
    response = Client().get(
        "/api/v2/search",
        {"q": f"@bob@{remote.host}", "resolve": "true", "type": "accounts"},
        **bearer_of(ana),
    )
    assert response.status_code == 200
    assert response.json()["accounts"] == []


def test_the_client_api_account_search_resolves(remote: Remote, alice: Peer, ana: User) -> None:
    api = client_api()
    q = f"alice@{remote.host}"
    assert api.get(f"accounts/search?q={q}", **bearer_of(ana)).json() == []
    found = api.get(f"accounts/search?q={q}&resolve=true", **bearer_of(ana)).json()
    assert [account["acct"] for account in found] == [q]


def test_the_client_api_lookup_of_a_remote_handle(remote: Remote, alice: Peer, ana: User) -> None:
    api = client_api()
    handle = f"alice@{remote.host}"
    # Unknown here: an anonymous lookup asks nothing.
    assert api.get(f"accounts/lookup?acct={handle}").status_code == 404
    assert remote.seen == []
    found = api.get(f"accounts/lookup?acct=@{handle}", **bearer_of(ana))
    assert found.status_code == 200
    assert found.json()["acct"] == handle
    # Known now: anyone finds it, without asking its server again.
    asked = len(remote.seen)
    assert api.get(f"accounts/lookup?acct={handle}").json()["acct"] == handle
    assert len(remote.seen) == asked
    missing = api.get(f"accounts/lookup?acct=bob@{remote.host}", **bearer_of(ana))
    assert missing.status_code == 404


def test_the_client_api_lookup_of_a_local_handle(remote: Remote, ana: User) -> None:
    api = client_api()
    for acct in ("ana", "ana@glimpse.example", "@ana@glimpse.example"):
        response = api.get(f"accounts/lookup?acct={acct}")
        assert response.status_code == 200, acct
        assert response.json()["id"] == str(ana.pk)
    assert remote.seen == []
