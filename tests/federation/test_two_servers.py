"""Two Glimpse servers federating, as people use them: ``alpha.test`` and ``beta.test`` run as
their own processes with their own databases, and everything is checked on both sides, through
the API only.

On alpha: ana (public). On beta: cy (public) and bo (private). They find each other by handle,
follow (at once, and after approval), post photos with several items and alt text, like,
comment and reply, repost, edit, delete, block, and one deletes their account.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.federation.two_servers import Server, eventually, two_servers

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    with two_servers(Path(tmp_path_factory.mktemp("federation"))) as servers:
        alpha, beta = servers
        alpha.sign_up("ana")
        beta.sign_up("cy")
        beta.sign_up("bo", private=True)
        yield alpha, beta


def jpeg(color: tuple[int, int, int], size: tuple[int, int] = (800, 1000)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def publish(server: Server, user: str, caption: str, photos: list[tuple[bytes, str]]) -> str:
    """Upload photos, wait until they are ready, and post them; return the post's id."""
    media_ids = []
    for data, alt in photos:
        item = server.api(
            "POST", "media", user=user, files={"file": ("photo.jpg", data, "image/jpeg")},
            data={"alt_text": alt},
        )  # fmt: skip
        media_ids.append(item["id"])
    for media_id in media_ids:

        def ready(media_id: str = media_id) -> bool:
            return bool(server.api("GET", f"media/{media_id}", user=user)["status"] == "ready")

        eventually(ready, what=f"media {media_id} ready")
    body = {
        "media_ids": media_ids,
        "caption": caption,
        "items": [{"alt_text": a} for _, a in photos],
    }
    return str(server.api("POST", "posts", user=user, json=body)["id"])


def find(server: Server, user: str, handle: str) -> dict[str, Any]:
    """Look an account of the other server up by its handle, as its search does."""
    found = server.api(
        "GET",
        "search",
        user=user,
        params={"q": f"@{handle}", "type": "accounts", "resolve": "true"},
    )
    assert found["items"], found
    account: dict[str, Any] = found["items"][0]
    assert account["username"] == handle
    return account


def usernames(page: dict[str, Any]) -> set[str]:
    return {
        item["username"] if "username" in item else item["account"]["username"]
        for item in page["items"]
    }


def followers(server: Server, user: str, of: str) -> set[str]:
    return usernames(server.api("GET", f"accounts/{of}/followers", user=user))


def following(server: Server, user: str, of: str) -> set[str]:
    return usernames(server.api("GET", f"accounts/{of}/following", user=user))


def feed(server: Server, user: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = server.api("GET", "feed", user=user)["items"]
    return items


def post_of(server: Server, user: str, author: str) -> dict[str, Any] | None:
    """Return the newest post of an author in a user's feed, or None."""
    return next((p for p in feed(server, user) if p["author"]["username"] == author), None)


def test_two_servers_federate(pair: tuple[Server, Server]) -> None:
    alpha, beta = pair
    ana, cy, bo = alpha.handle("ana"), beta.handle("cy"), beta.handle("bo")

    # --- Finding and following ---------------------------------------------------------------
    find(alpha, "ana", cy)
    find(alpha, "ana", bo)
    assert alpha.api("POST", f"accounts/{cy}/follow", user="ana")["state"] == "requested"
    # cy is public: beta accepts at once, and alpha turns the request into a follow.
    eventually(lambda: ana in followers(beta, "cy", "cy"), what="ana follows cy on beta")
    eventually(lambda: cy in following(alpha, "ana", "ana"), what="ana follows cy on alpha")
    # bo is private: the request waits for bo on beta.
    alpha.api("POST", f"accounts/{bo}/follow", user="ana")
    requests = eventually(
        lambda: beta.api("GET", "follow-requests", user="bo")["items"], what="bo's request"
    )
    assert usernames({"items": requests}) == {ana}
    assert bo not in following(alpha, "ana", "ana")
    beta.api("POST", f"follow-requests/{requests[0]['id']}/approve", user="bo")
    eventually(lambda: bo in following(alpha, "ana", "ana"), what="bo approved ana on alpha")
    # cy follows ana back: ana is public.
    find(beta, "cy", ana)
    beta.api("POST", f"accounts/{ana}/follow", user="cy")
    eventually(lambda: cy in followers(alpha, "ana", "ana"), what="cy follows ana on alpha")

    # --- A photo post with several items and alt text ----------------------------------------
    cy_post_id = publish(
        beta, "cy", "Dawn at the lake #sunrise",
        [(jpeg((200, 120, 40)), "Mist over the water"), (jpeg((40, 90, 160)), "A heron")],
    )  # fmt: skip
    seen = eventually(lambda: post_of(alpha, "ana", cy), what="cy's post in ana's feed")
    assert seen["caption"] == "Dawn at the lake #sunrise"
    assert [m["alt_text"] for m in seen["media"]] == ["Mist over the water", "A heron"]
    assert seen["hashtags"] == ["sunrise"]
    remote_id = seen["id"]

    # --- Like, comment, reply, repost ---------------------------------------------------------
    alpha.api("POST", f"posts/{remote_id}/like", user="ana")
    eventually(
        lambda: beta.api("GET", f"posts/{cy_post_id}", user="cy")["like_count"] == 1,
        what="ana's like on beta",
    )
    alpha.api("POST", f"posts/{remote_id}/comments", user="ana", json={"text": "So calm!"})
    comment = eventually(
        lambda: beta.api("GET", f"posts/{cy_post_id}/comments", user="cy")["items"],
        what="ana's comment on beta",
    )[0]
    assert (comment["author"]["username"], comment["text"]) == (ana, "So calm!")
    beta.api(
        "POST", f"posts/{cy_post_id}/comments", user="cy",
        json={"text": "Thank you", "parent_id": comment["id"]},
    )  # fmt: skip
    eventually(
        lambda: alpha.api("GET", f"posts/{remote_id}", user="ana")["comment_count"] == 2,
        what="cy's reply on alpha",
    )
    alpha.api("POST", f"posts/{remote_id}/repost", user="ana")
    eventually(
        lambda: beta.api("GET", f"posts/{cy_post_id}", user="cy")["repost_count"] == 1,
        what="ana's repost on beta",
    )

    # --- Edit and delete -----------------------------------------------------------------------
    beta.api("PATCH", f"posts/{cy_post_id}", user="cy", json={"caption": "Dawn, again"})
    eventually(
        lambda: alpha.api("GET", f"posts/{remote_id}", user="ana")["caption"] == "Dawn, again",
        what="the edit on alpha",
    )
    beta.request("DELETE", f"/api/glimpse/v1/posts/{cy_post_id}", user="cy")
    eventually(
        lambda: (
            alpha.request("GET", f"/api/glimpse/v1/posts/{remote_id}", user="ana").status_code
            == 404
        ),
        what="the delete on alpha",
    )

    # --- A post of ana's reaches her followers on beta; bo's private post reaches ana -------
    publish(alpha, "ana", "Hello from alpha", [(jpeg((10, 200, 10)), "Green")])
    eventually(lambda: post_of(beta, "cy", ana), what="ana's post in cy's feed")
    publish(beta, "bo", "Only for followers", [(jpeg((90, 10, 90)), "Purple")])
    private = eventually(lambda: post_of(alpha, "ana", bo), what="bo's post in ana's feed")
    assert private["caption"] == "Only for followers"

    # --- A block ends the follow on both sides ------------------------------------------------
    beta.api("POST", f"accounts/{ana}/block", user="bo")
    eventually(lambda: bo not in following(alpha, "ana", "ana"), what="the block on alpha")
    assert (
        alpha.request("GET", f"/api/glimpse/v1/posts/{private['id']}", user="ana").status_code
        == 404
    )

    # --- An account deleted on beta is gone from alpha -----------------------------------------
    deleted = beta.request(
        "POST",
        "/api/glimpse/v1/accounts/me/delete",
        user="cy",
        json={"password": "two-servers-far-apart"},
    )
    assert deleted.status_code == 202, deleted.text
    beta.run_periodic_jobs()
    eventually(
        lambda: (
            alpha.request("GET", f"/api/glimpse/v1/accounts/{cy}", user="ana").status_code == 404
        ),
        what="cy's deletion on alpha",
    )
