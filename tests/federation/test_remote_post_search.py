"""Finding posts of other servers: the address of a Note (Mastodon's status page or id,
Pixelfed's post page, GoToSocial's page that redirects) searched on the search page, in
Glimpse's API and in the client API is fetched, stored once as a post, and shown first;
what Glimpse cannot show finds nothing, with a notice; a post of this site is found by its
address without any request."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.federation.models import RemoteObject
from glimpse.graph import services as graph
from glimpse.posts.models import Comment, Post
from tests.federation.incoming_fixtures import (
    account_of,
    followed,
    local_post,
    mastodon_photo,
    note,
    pixelfed_photo,
)
from tests.federation.remote_server import SITE, Peer, Remote, peer
from tests.federation.test_remote_search import glimpse_api, notice, search_page, web
from tests.mastodon.conftest import bearer_of

NOT_A_POST = "That address is not a photo or video post Glimpse can show."


@pytest.fixture
def silent_port(settings: Any, remote: Remote) -> Iterator[int]:
    """A loopback port that takes connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = [remote.port, port]
        yield port


def path_of(address: str) -> str:
    """Return the path of an address on the test server."""
    return urlsplit(address).path


def mastodon_status(remote: Remote, author: Peer, **fields: Any) -> dict[str, Any]:
    """Serve a Mastodon status with a photo at its id and at its page (Mastodon answers the
    Note to an ActivityPub request of the page); return the Note."""
    document = note(
        author, content="<p>Sunset over the bay #sky</p>", attachment=[mastodon_photo(remote)]
    )
    number = document["id"].rsplit("/", 1)[1]
    document = {**document, "url": remote.url(f"/@{author.name}/{number}"), **fields}
    remote.serve(path_of(document["id"]), document)
    remote.serve(path_of(document["url"]), document)
    return document


def pixelfed_post(remote: Remote, author: Peer) -> dict[str, Any]:
    """Serve a Pixelfed post, whose id is its page (``/p/name/123``); return the Note."""
    number = note(author)["id"].rsplit("/", 1)[1]
    address = remote.url(f"/p/{author.name}/{number}")
    document = note(
        author,
        id=address,
        url=address,
        content="<p>My cat <a href='#'>#cats</a></p>",
        attachment=[pixelfed_photo(remote)],
        location={"type": "Place", "name": "Porto", "latitude": "41.15", "longitude": "-8.61"},
    )
    remote.serve(path_of(address), document)
    return document


def tiles(page: str) -> list[int]:
    """Return the ids of the posts a search page shows, in order."""
    return [int(found) for found in re.findall(r'data-tile="(\d+)"', page)]


def stored_post(document: dict[str, Any]) -> Post:
    """Return the post stored here for a Note."""
    row = RemoteObject.objects.get(uri=document["id"])
    assert row.post_id is not None
    return Post.objects.get(pk=row.post_id)


def nothing_stored() -> bool:
    """Tell whether no remote post or comment was kept."""
    return not RemoteObject.objects.exists() and not Post.objects.exists()


def statuses_search(user: User | None, q: str, **params: str) -> Any:
    """Return the client API's answer to a search."""
    headers = bearer_of(user) if user is not None else {}
    return Client().get("/api/v2/search", {"q": q, **params}, **headers)


# --- Found and stored once ----------------------------------------------------------------


@pytest.mark.parametrize("which", ["page", "id"])
def test_a_mastodon_status_address_finds_the_post_once(
    remote: Remote, alice: Peer, ana: User, which: str
) -> None:
    status = mastodon_status(remote, alice)
    address = status["url"] if which == "page" else status["id"]
    page = search_page(web(ana), address)
    post = stored_post(status)
    assert tiles(page) == [post.pk]
    assert notice(page) == ""
    assert post.author.username == f"alice@{remote.host}"
    assert post.caption == "Sunset over the bay #sky"
    assert post.items.count() == 1
    row = RemoteObject.objects.get(post=post)
    assert (row.uri, row.url) == (status["id"], status["url"])
    # The request was signed by this server's instance actor.
    fetched = remote.asked(path_of(address))[0]
    assert f'keyId="{SITE}/actor#main-key"' in fetched.headers["signature"]
    assert fetched.headers["accept"].startswith("application/activity+json")
    # Known now: by its page or its id, found again without any request.
    asked = len(remote.seen)
    for again in (status["url"], status["id"]):
        assert tiles(search_page(web(ana), again, type="posts")) == [post.pk]
    assert len(remote.seen) == asked
    assert Post.objects.count() == 1


def test_a_pixelfed_post_address_is_found_through_the_api(
    remote: Remote, alice: Peer, ana: User
) -> None:
    pixelfed = pixelfed_post(remote, alice)
    api = glimpse_api(ana)
    plain = api.get(f"search?q={pixelfed['id']}&type=posts")
    assert plain.json()["items"] == []  # not without resolve
    assert remote.seen == []
    response = api.get(f"search?q={pixelfed['id']}&type=posts&resolve=true")
    assert response.status_code == 200
    body = response.json()
    post = stored_post(pixelfed)
    assert [item["id"] for item in body["items"]] == [str(post.pk)]
    assert body["notice"] is None
    assert body["items"][0]["place"]["name"] == "Porto"
    assert body["items"][0]["media"][0]["alt_text"] == "My cat on the sofa"
    asked = len(remote.seen)
    top = api.get(f"search?q={pixelfed['id']}&resolve=true").json()
    assert [item["id"] for item in top["posts"]] == [str(post.pk)]
    # No account is looked up for a post's address; the text search may still find its
    # author by the name in the address (PostgreSQL's search does).
    assert {item["username"] for item in top["accounts"]} <= {post.author.username}
    assert len(remote.seen) == asked
    assert Post.objects.count() == 1


def test_a_page_that_redirects_to_the_note_finds_it(remote: Remote, alice: Peer, ana: User) -> None:
    # GoToSocial sends an ActivityPub request of a status page to the status's id.
    status = mastodon_status(remote, alice)
    page_address = remote.url(f"/@alice/statuses/{status['id'].rsplit('/', 1)[1]}")
    remote.redirects[path_of(page_address)] = status["id"]
    body = glimpse_api(ana).get(f"search?q={page_address}&resolve=true").json()
    assert [item["id"] for item in body["posts"]] == [str(stored_post(status).pk)]


def test_a_page_answered_as_html_is_read_for_its_link_to_the_note(
    remote: Remote, alice: Peer, ana: User
) -> None:
    status = mastodon_status(remote, alice)
    page_address = remote.url("/web/statuses/7")
    html = (
        "<!doctype html><html><head><title>Alice</title>"
        f'<link href="{status["id"]}" rel="alternate" type="application/activity+json">'
        "</head><body><p>Sunset</p></body></html>"
    )
    remote.serve_bytes(path_of(page_address), html.encode(), "text/html; charset=utf-8")
    page = search_page(web(ana), page_address)
    assert tiles(page) == [stored_post(status).pk]


def test_a_page_with_no_link_to_a_note_finds_nothing(remote: Remote, ana: User) -> None:
    address = remote.url("/about")
    remote.serve_bytes("/about", b"<html><head></head><body>Hi</body></html>", "text/html")
    body = glimpse_api(ana).get(f"search?q={address}&type=posts&resolve=true").json()
    assert body["items"] == []
    assert body["notice"] == NOT_A_POST
    top = glimpse_api(ana).get(f"search?q={address}&resolve=true").json()
    assert top["notice"] == f"No account or post was found at {address}."


def test_a_reply_finds_the_post_it_answers(
    remote: Remote, alice: Peer, ana: User, make_user: Callable[..., User]
) -> None:
    root = mastodon_status(remote, alice)
    bob = peer(remote, "bob")
    reply = note(bob, content="<p>Lovely light</p>", inReplyTo=root["id"])
    remote.serve(path_of(reply["id"]), reply)
    page = search_page(web(ana), reply["id"])
    post = stored_post(root)
    assert tiles(page) == [post.pk]
    comment = Comment.objects.get(post=post)
    assert (comment.author.username, comment.text) == (f"bob@{remote.host}", "Lovely light")
    # Known now: the reply's address finds its post without a request.
    asked = len(remote.seen)
    assert tiles(search_page(web(ana), reply["id"])) == [post.pk]
    assert len(remote.seen) == asked


# --- What is not shown --------------------------------------------------------------------


def test_a_text_only_note_finds_nothing(remote: Remote, alice: Peer, ana: User) -> None:
    status = mastodon_status(remote, alice, attachment=[])
    page = search_page(web(ana), status["url"])
    assert notice(page) == NOT_A_POST
    assert tiles(page) == []
    assert nothing_stored()


@pytest.mark.parametrize("shape", ["direct", "followers of a private account"])
def test_a_note_not_for_the_searcher_finds_nothing_and_fetches_no_media(
    remote: Remote, ana: User, shape: str
) -> None:
    author = peer(remote, "carol", private=shape != "direct")
    if shape == "direct":
        mention = {"type": "Mention", "href": f"{SITE}/users/ana", "name": "@ana@glimpse.example"}
        status = mastodon_status(remote, author, to=[mention["href"]], cc=[], tag=[mention])
    else:
        status = mastodon_status(remote, author, to=[author.uri + "/followers"], cc=[])
    page = search_page(web(ana), status["id"])
    assert notice(page) == NOT_A_POST
    assert nothing_stored()
    photo = path_of(status["attachment"][0]["url"])
    assert remote.asked(photo) == []


def test_a_followers_only_note_is_found_by_a_follower(remote: Remote, ana: User) -> None:
    carol = peer(remote, "carol", private=True)
    status = mastodon_status(remote, carol, to=[carol.uri + "/followers"], cc=[])
    followed(carol, by=ana)
    page = search_page(web(ana), status["id"])
    assert tiles(page) == [stored_post(status).pk]


def test_a_followers_only_note_of_a_public_account_finds_nothing(
    remote: Remote, alice: Peer, ana: User
) -> None:
    # Stored, everyone who may see alice here would see it.
    followed(alice, by=ana)
    status = mastodon_status(remote, alice, to=[alice.uri + "/followers"], cc=[])
    assert notice(search_page(web(ana), status["id"])) == NOT_A_POST
    assert not RemoteObject.objects.exists()


def test_a_post_the_searcher_may_not_see_is_not_shown(
    remote: Remote, alice: Peer, ana: User
) -> None:
    status = mastodon_status(remote, alice)
    search_page(web(ana), status["id"])
    graph.block_create(blocker=ana, blocked=account_of(alice))
    page = search_page(web(ana), status["id"])
    assert tiles(page) == []
    assert notice(page) == NOT_A_POST


def test_a_missing_note_says_so(remote: Remote, ana: User) -> None:
    address = remote.url("/users/alice/statuses/404")
    body = glimpse_api(ana).get(f"search?q={address}&type=posts&resolve=true").json()
    assert body["notice"] == NOT_A_POST
    assert body["items"] == []


def test_an_actor_address_in_the_posts_tab_stores_nothing(
    remote: Remote, alice: Peer, ana: User
) -> None:
    body = glimpse_api(ana).get(f"search?q={alice.uri}&type=posts&resolve=true").json()
    assert body["notice"] == NOT_A_POST
    assert not User.objects.filter(username__contains="@").exists()


# --- The limits ---------------------------------------------------------------------------


def test_an_anonymous_search_fetches_nothing(remote: Remote, alice: Peer) -> None:
    status = mastodon_status(remote, alice)
    page = search_page(web(), status["url"])
    assert notice(page) == "Log in to look up people and posts of other servers."
    assert tiles(page) == []
    body = glimpse_api(None).get(f"search?q={status['url']}&type=posts&resolve=true").json()
    assert body["notice"] == "Log in to look up posts of other servers."
    assert statuses_search(None, status["url"], resolve="true").status_code == 401
    assert remote.seen == []
    assert nothing_stored()


def test_nothing_is_fetched_while_federation_is_off(
    remote: Remote, alice: Peer, ana: User, settings: Any
) -> None:
    status = mastodon_status(remote, alice)
    settings.GLIMPSE_FEDERATION = False
    page = search_page(web(ana), status["url"])
    assert (notice(page), tiles(page)) == ("", [])
    body = glimpse_api(ana).get(f"search?q={status['url']}&resolve=true").json()
    assert (body["notice"], body["posts"]) == (None, [])
    assert remote.seen == []
    assert nothing_stored()


def test_post_look_ups_share_the_rate_limit(
    remote: Remote, alice: Peer, ana: User, settings: Any
) -> None:
    settings.GLIMPSE_RATE_REMOTE_LOOKUPS = (1, 900)
    first, second = mastodon_status(remote, alice), mastodon_status(remote, alice)
    assert tiles(search_page(web(ana), first["id"])) == [stored_post(first).pk]
    page = search_page(web(ana), second["id"])
    assert notice(page).startswith(
        "You looked up many people and posts of other servers. Try again in"
    )
    assert remote.asked(path_of(second["id"])) == []


def test_a_silent_server_is_given_up_on_in_time(
    remote: Remote, ana: User, silent_port: int, settings: Any
) -> None:
    settings.GLIMPSE_FEDERATION_LOOKUP_SECONDS = 1.0
    address = f"http://other.test:{silent_port}/@bob/109"
    started = time.monotonic()
    body = glimpse_api(ana).get(f"search?q={address}&type=posts&resolve=true").json()
    assert time.monotonic() - started < 4
    assert body["notice"] == (
        f"Couldn't reach other.test:{silent_port}. Check the address, or try again later."
    )


def test_media_that_never_come_are_given_up_on_in_time(
    remote: Remote, alice: Peer, ana: User, silent_port: int, settings: Any
) -> None:
    settings.GLIMPSE_FEDERATION_LOOKUP_SECONDS = 1.5
    photo = {**mastodon_photo(remote), "url": f"http://other.test:{silent_port}/media/1.jpg"}
    status = mastodon_status(remote, alice, attachment=[photo])
    started = time.monotonic()
    page = search_page(web(ana), status["id"])
    assert time.monotonic() - started < 5
    assert notice(page).startswith(f"Couldn't reach {remote.host}.")
    assert nothing_stored()


# --- A post of this site ------------------------------------------------------------------


def test_a_local_post_address_finds_it_without_any_request(
    remote: Remote, ana: User, make_user: Callable[..., User], settings: Any
) -> None:
    post = local_post(make_user("lia"), "Morning tram")
    address = f"{SITE}/p/{post.pk}/"
    for viewer in (ana, None):
        assert tiles(search_page(web(viewer), address)) == [post.pk]
    # While typing too: it costs nothing, and offers no look-up.
    typed = web(ana).get("/search/", {"q": address}, headers={"HX-Request": "true"})
    assert tiles(typed.content.decode()) == [post.pk]
    assert "Look up" not in typed.content.decode()
    body = glimpse_api(ana).get(f"search?q={address}&type=posts").json()
    assert [item["id"] for item in body["items"]] == [str(post.pk)]
    statuses = statuses_search(ana, address, resolve="true").json()["statuses"]
    assert [status["id"] for status in statuses] == [str(post.pk)]
    settings.GLIMPSE_FEDERATION = False
    assert tiles(search_page(web(ana), f"{SITE}/p/{post.pk}")) == [post.pk]
    assert remote.seen == []


def test_a_local_post_the_searcher_may_not_see_is_not_found(
    remote: Remote, ana: User, make_user: Callable[..., User]
) -> None:
    post = local_post(make_user("lia", is_private=True))
    page = search_page(web(ana), f"{SITE}/p/{post.pk}/")
    assert tiles(page) == []
    assert notice(page) == NOT_A_POST
    assert remote.seen == []


# --- The client API -----------------------------------------------------------------------


def test_the_client_api_resolves_a_status_address(remote: Remote, alice: Peer, ana: User) -> None:
    status = mastodon_status(remote, alice)
    response = statuses_search(ana, status["url"], resolve="true")
    assert response.status_code == 200
    post = stored_post(status)
    found = response.json()
    assert [entity["id"] for entity in found["statuses"]] == [str(post.pk)]
    assert found["statuses"][0]["account"]["acct"] == f"alice@{remote.host}"
    # No account is looked up for it; the text search may find its author by name.
    assert {entity["acct"] for entity in found["accounts"]} <= {f"alice@{remote.host}"}
    # Only accounts asked for: a status address stores nothing more.
    other = mastodon_status(remote, alice)
    only = statuses_search(ana, other["url"], resolve="true", type="accounts").json()
    assert only["statuses"] == []
    assert {entity["acct"] for entity in only["accounts"]} <= {f"alice@{remote.host}"}
    assert not RemoteObject.objects.filter(uri=other["id"]).exists()
