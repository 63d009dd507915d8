"""Mastodon's streaming API on the real ASGI application: the websocket at /api/v1/streaming
(its three token forms, its refusals, subscribing and unsubscribing), what reaches whom
through the visibility policy, and the server-sent events with their heartbeats."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.test import Client

from config.asgi import application
from glimpse.accounts.models import User
from glimpse.accounts.services import token_create, token_revoke
from glimpse.graph import services as graph
from glimpse.posts import services as posts
from glimpse.posts.models import Post
from tests.mastodon.conftest import follow
from tests.oauth_flow import register_app, user_token

pytestmark = pytest.mark.django_db(transaction=True)

QUIET = 0.3  # seconds of silence that show nothing was sent


def run(scenario: Callable[[], Any]) -> Any:
    """Run an async scenario from the synchronous test."""
    return async_to_sync(scenario)()


def socket(
    query: str = "",
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    subprotocols: list[str] | None = None,
    denial: bool = False,
) -> WebsocketCommunicator:
    """Return a communicator to /api/v1/streaming on the whole ASGI stack; ``denial`` says
    the server can answer a refused handshake with an HTTP status (uvicorn does)."""
    path = "/api/v1/streaming" + (f"?{query}" if query else "")
    communicator = WebsocketCommunicator(
        application,
        path,
        headers=[(b"host", b"testserver"), *(headers or [])],
        subprotocols=subprotocols,
    )
    if denial:
        communicator.scope["extensions"] = {"websocket.http.response": {}}
    return communicator


async def opened(communicator: WebsocketCommunicator) -> str | None:
    """Connect, assert the connection is accepted, and return its subprotocol."""
    connected, subprotocol = await communicator.connect(timeout=5)
    assert connected
    return subprotocol


async def subscribe(communicator: WebsocketCommunicator, stream: str, **more: str) -> None:
    """Ask for a stream, and wait until the server has joined its group (a ping's echo)."""
    await communicator.send_json_to({"type": "subscribe", "stream": stream, **more})
    # Messages are handled in order: once an unknown stream's error comes back, the
    # subscription before it is in place.
    await communicator.send_json_to({"type": "subscribe", "stream": "sync"})
    answer = await communicator.receive_json_from(timeout=5)
    assert answer["error"] == "Unknown stream type", answer


async def event(communicator: WebsocketCommunicator) -> dict[str, Any]:
    """Receive the next event, its payload decoded."""
    message = await communicator.receive_json_from(timeout=5)
    if message.get("event") != "delete":
        message["payload"] = json.loads(message["payload"])
    return message


@pytest.fixture
def secret_of() -> Callable[[User], str]:
    """Return a personal API token of an account (it holds every scope)."""
    return lambda user: token_create(user=user, name="client")[1]


@pytest.fixture
def publish(media_for: Callable[..., list]) -> Callable[..., Callable[[], Any]]:
    """Prepare a post's media now; return an awaitable publishing it through the service."""

    def prepare(author: User, caption: str = "") -> Callable[[], Any]:
        media = media_for(author, 1)
        create = sync_to_async(posts.post_create)
        return lambda: create(author=author, media_ids=[media[0].pk], caption=caption)

    return prepare


# Tokens and refusals


def test_each_token_form_opens_the_socket(user: User, secret_of: Callable[[User], str]) -> None:
    secret = secret_of(user)

    async def scenario() -> list[str | None]:
        answers = []
        for communicator in (
            socket(headers=[(b"authorization", f"Bearer {secret}".encode())]),
            socket(f"access_token={secret}"),
            socket(subprotocols=[secret]),
        ):
            answers.append(await opened(communicator))
            await subscribe(communicator, "user")
            await communicator.disconnect()
        return answers

    # The subprotocol form is answered with the same subprotocol, as browsers require.
    assert run(scenario) == [None, None, secret]


def test_an_oauth_token_with_a_read_scope_opens_the_socket(user: User) -> None:
    browser = Client()
    browser.force_login(user)
    token = user_token(browser, register_app(), scope="read:statuses")

    async def scenario() -> bool:
        communicator = socket(f"access_token={token}&stream=public")
        await opened(communicator)
        await subscribe(communicator, "public:local")
        await communicator.disconnect()
        return True

    assert run(scenario)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("", "Missing access token"),
        ("access_token=not-a-token", "Invalid access token"),
    ],
)
def test_a_missing_or_bad_token_is_refused_with_a_401_before_accepting(
    query: str, error: str
) -> None:
    async def scenario() -> tuple[dict, dict, tuple[bool, Any]]:
        communicator = socket(query, denial=True)
        await communicator.send_input({"type": "websocket.connect"})
        start = await communicator.receive_output(timeout=5)
        body = await communicator.receive_output(timeout=5)
        # Without the server's denial extension, the handshake is closed unaccepted.
        plain = socket(query)
        refused = await plain.connect(timeout=5)
        return start, body, refused

    start, body, refused = run(scenario)
    assert start["type"] == "websocket.http.response.start"
    assert start["status"] == 401
    assert json.loads(body["body"]) == {"error": error}
    assert refused[0] is False


def test_a_revoked_token_is_refused(user: User) -> None:
    token, secret = token_create(user=user, name="client")
    token_revoke(user=user, token_id=token.pk)

    async def scenario() -> tuple[bool, Any]:
        result: tuple[bool, Any] = await socket(f"access_token={secret}").connect(timeout=5)
        return result

    assert run(scenario)[0] is False


def test_a_token_without_a_read_scope_is_refused(user: User) -> None:
    browser = Client()
    browser.force_login(user)
    token = user_token(browser, register_app("read write push"), scope="write push")

    async def scenario() -> tuple[int, dict]:
        communicator = socket(f"access_token={token}", denial=True)
        await communicator.send_input({"type": "websocket.connect"})
        start = await communicator.receive_output(timeout=5)
        body = await communicator.receive_output(timeout=5)
        return start["status"], json.loads(body["body"])

    status, body = run(scenario)
    assert status == 401
    assert body == {"error": "Access token does not have the required scopes"}


def test_a_notifications_token_may_not_read_the_public_stream(
    user: User, make_user: Callable[..., User]
) -> None:
    browser = Client()
    browser.force_login(user)
    token = user_token(browser, register_app(), scope="read:notifications")

    async def scenario() -> tuple[dict, dict]:
        communicator = socket(f"access_token={token}")
        await opened(communicator)
        await communicator.send_json_to({"type": "subscribe", "stream": "public"})
        refused = await communicator.receive_json_from(timeout=5)
        await subscribe(communicator, "user:notification")
        await communicator.disconnect()
        return refused, {}

    refused, _ = run(scenario)
    assert refused == {
        "error": "Access token does not have the required scopes",
        "status": 401,
        "stream": ["public"],
    }


def test_unknown_streams_and_a_hashtag_stream_without_tag_get_mastodons_errors(
    user: User, secret_of: Callable[[User], str]
) -> None:
    secret = secret_of(user)

    async def scenario() -> list[dict]:
        communicator = socket(f"access_token={secret}&stream=nonsense")
        await opened(communicator)
        answers = [await communicator.receive_json_from(timeout=5)]
        await communicator.send_json_to({"type": "subscribe", "stream": "hashtag"})
        answers.append(await communicator.receive_json_from(timeout=5))
        # Not JSON, not an object, an unknown type: ignored, as Mastodon does.
        await communicator.send_to(text_data="{not json")
        await communicator.send_json_to(["subscribe"])
        await communicator.send_json_to({"type": "shout", "stream": "user"})
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()
        return answers

    assert run(scenario) == [
        {"error": "Unknown stream type", "status": 400, "stream": ["nonsense"]},
        {"error": "No tag for stream provided", "status": 400, "stream": ["hashtag"]},
    ]


# What reaches whom


def test_a_follower_gets_a_followed_accounts_new_post_and_its_author_at_once(
    make_user: Callable[..., User],
    secret_of: Callable[[User], str],
    publish: Callable[..., Callable[[], Any]],
) -> None:
    ana, bruno, carla = make_user("ana"), make_user("bruno"), make_user("carla")
    follow(bruno, ana)
    secrets = {user.username: secret_of(user) for user in (ana, bruno, carla)}
    post = publish(ana, "golden hour #sunset")

    async def scenario() -> tuple[dict, dict, bool]:
        sockets = {name: socket(f"access_token={s}&stream=user") for name, s in secrets.items()}
        for communicator in sockets.values():
            await opened(communicator)
            await subscribe(communicator, "user:notification")
        created = await post()
        own, followed = await event(sockets["ana"]), await event(sockets["bruno"])
        # A stranger's home feed does not get it (the post is public all the same).
        silent = await sockets["carla"].receive_nothing(timeout=QUIET)
        for communicator in sockets.values():
            await communicator.disconnect()
        assert own["payload"]["id"] == str(created.pk)
        return own, followed, silent

    own, followed, silent = run(scenario)
    assert own["stream"] == followed["stream"] == ["user"]
    assert own["event"] == followed["event"] == "update"
    assert followed["payload"]["account"]["username"] == "ana"
    assert followed["payload"]["tags"][0]["name"] == "sunset"
    assert silent


def test_a_post_imported_from_an_archive_reaches_no_stream(
    make_user: Callable[..., User],
    secret_of: Callable[[User], str],
    media_for: Callable[..., list],
) -> None:
    ana, bruno = make_user("ana"), make_user("bruno")
    follow(bruno, ana)
    secret = secret_of(bruno)
    old, new = media_for(ana, 2)
    create = sync_to_async(posts.post_create)

    async def scenario() -> None:
        communicator = socket(f"access_token={secret}&stream=user")
        await opened(communicator)
        await subscribe(communicator, "public")
        await create(author=ana, media_ids=[old.pk], caption="2019", imported_from="instagram")
        fresh = await create(author=ana, media_ids=[new.pk], caption="today")
        # The first event is the new post's: the imported one was never sent.
        got = await event(communicator)
        assert got["payload"]["id"] == str(fresh.pk)
        await communicator.disconnect()

    run(scenario)


def test_a_private_accounts_post_reaches_followers_only(
    make_user: Callable[..., User],
    secret_of: Callable[[User], str],
    publish: Callable[..., Callable[[], Any]],
) -> None:
    ana = make_user("ana", is_private=True)
    bruno, carla = make_user("bruno"), make_user("carla")
    follow(bruno, ana)
    bruno_secret, carla_secret = secret_of(bruno), secret_of(carla)
    post = publish(ana, "just us #sunset")

    async def scenario() -> tuple[dict, bool]:
        follower = socket(f"access_token={bruno_secret}&stream=user")
        stranger = socket(f"access_token={carla_secret}&stream=public")
        await opened(follower)
        await opened(stranger)
        await subscribe(stranger, "hashtag", tag="sunset")
        await subscribe(stranger, "user")
        await post()
        got = await event(follower)
        silent = await stranger.receive_nothing(timeout=QUIET)
        await follower.disconnect()
        await stranger.disconnect()
        return got, silent

    got, silent = run(scenario)
    assert got["payload"]["account"]["username"] == "ana"
    assert got["payload"]["visibility"] == "private"
    assert silent


def test_public_and_hashtag_streams_get_public_posts_and_unsubscribing_stops_them(
    make_user: Callable[..., User],
    secret_of: Callable[[User], str],
    publish: Callable[..., Callable[[], Any]],
) -> None:
    ana, bruno = make_user("ana"), make_user("bruno")
    secret = secret_of(bruno)
    tagged = publish(ana, "over the bay #Sunset")
    untagged = publish(ana, "breakfast")

    async def scenario() -> tuple[list[dict], bool]:
        communicator = socket(f"access_token={secret}")
        await opened(communicator)
        for stream in ("public", "public:local", "public:media"):
            await subscribe(communicator, stream)
        await subscribe(communicator, "hashtag", tag="sunset")
        await subscribe(communicator, "hashtag:local", tag="#SUNSET")
        created = await tagged()
        got = [await event(communicator) for _ in range(5)]
        assert {message["payload"]["id"] for message in got} == {str(created.pk)}
        for stream in ("public", "public:local", "public:media"):
            await communicator.send_json_to({"type": "unsubscribe", "stream": stream})
        await subscribe(communicator, "user")
        await untagged()
        # Only the hashtag streams are left, and this post has no hashtag.
        silent = await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()
        return got, silent

    got, silent = run(scenario)
    assert sorted(message["stream"] for message in got) == [
        ["hashtag", "sunset"],
        ["hashtag:local", "#SUNSET"],
        ["public"],
        ["public:local"],
        ["public:media"],
    ]
    assert silent


def test_blocked_and_muted_accounts_posts_are_not_sent(
    make_user: Callable[..., User],
    secret_of: Callable[[User], str],
    publish: Callable[..., Callable[[], Any]],
) -> None:
    ana, bruno, carla = make_user("ana"), make_user("bruno"), make_user("carla")
    follow(carla, ana)
    graph.block_create(blocker=ana, blocked=bruno)
    graph.mute_create(muter=carla, muted=ana)
    bruno_secret, carla_secret = secret_of(bruno), secret_of(carla)
    post = publish(ana, "#sunset")

    async def scenario() -> tuple[bool, bool]:
        blocked = socket(f"access_token={bruno_secret}&stream=public")
        muting = socket(f"access_token={carla_secret}&stream=user")
        await opened(blocked)
        await opened(muting)
        await subscribe(blocked, "hashtag", tag="sunset")
        await subscribe(muting, "public")
        await post()
        quiet = await blocked.receive_nothing(timeout=QUIET)
        also_quiet = await muting.receive_nothing(timeout=QUIET)
        await blocked.disconnect()
        await muting.disconnect()
        return quiet, also_quiet

    assert run(scenario) == (True, True)


def test_a_notification_reaches_the_user_and_notification_streams(
    make_user: Callable[..., User], secret_of: Callable[[User], str]
) -> None:
    ana, bruno = make_user("ana"), make_user("bruno")
    secret = secret_of(ana)

    async def scenario() -> list[dict]:
        communicator = socket(f"access_token={secret}&stream=user")
        await opened(communicator)
        await subscribe(communicator, "user:notification")
        await subscribe(communicator, "public")  # carries no notification
        await sync_to_async(graph.follow_create)(follower=bruno, followee=ana)
        got = [await event(communicator) for _ in range(2)]
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()
        return got

    got = run(scenario)
    assert sorted(message["stream"] for message in got) == [["user"], ["user:notification"]]
    notification = got[0]["payload"]
    assert got[0]["event"] == "notification"
    assert notification["type"] == "follow"
    assert notification["account"]["username"] == "bruno"
    assert "status" not in notification  # as Mastodon: a follow carries no status
    assert notification["id"].isdigit()
    assert notification["created_at"].endswith("Z")


def test_a_like_notification_carries_the_liked_status(
    make_user: Callable[..., User],
    secret_of: Callable[[User], str],
    post_by: Callable[..., Post],
) -> None:
    ana, bruno = make_user("ana"), make_user("bruno")
    liked = post_by(ana, "mine")
    secret = secret_of(ana)

    async def scenario() -> dict:
        communicator = socket(f"access_token={secret}&stream=user:notification")
        await opened(communicator)
        await subscribe(communicator, "user:notification")
        await sync_to_async(posts.like_create)(user=bruno, post_id=liked.pk)
        got = await event(communicator)
        await communicator.disconnect()
        return got

    got = run(scenario)
    assert got["payload"]["type"] == "favourite"
    assert got["payload"]["status"]["id"] == str(liked.pk)


def test_delete_and_edit_reach_who_could_see_the_post(
    make_user: Callable[..., User],
    secret_of: Callable[[User], str],
    post_by: Callable[..., Post],
) -> None:
    ana = make_user("ana", is_private=True)
    bruno, carla = make_user("bruno"), make_user("carla")
    follow(bruno, ana)
    edited, deleted = post_by(ana, "first"), post_by(ana, "second")
    bruno_secret, carla_secret = secret_of(bruno), secret_of(carla)

    async def scenario() -> tuple[dict, dict, bool]:
        follower = socket(f"access_token={bruno_secret}&stream=user")
        stranger = socket(f"access_token={carla_secret}&stream=public")
        await opened(follower)
        await opened(stranger)
        await subscribe(follower, "user")
        await subscribe(stranger, "user")
        update = sync_to_async(posts.post_update)
        await update(actor=ana, post_id=edited.pk, caption="first, edited")
        changed = await event(follower)
        await sync_to_async(posts.post_delete)(actor=ana, post_id=deleted.pk)
        gone = await event(follower)
        silent = await stranger.receive_nothing(timeout=QUIET)
        await follower.disconnect()
        await stranger.disconnect()
        return changed, gone, silent

    changed, gone, silent = run(scenario)
    assert changed["event"] == "status.update"
    assert changed["payload"]["id"] == str(edited.pk)
    assert "first, edited" in changed["payload"]["content"]
    assert gone == {"stream": ["user"], "event": "delete", "payload": str(deleted.pk)}
    assert silent


def test_a_public_posts_deletion_reaches_the_public_and_hashtag_streams(
    make_user: Callable[..., User],
    secret_of: Callable[[User], str],
    post_by: Callable[..., Post],
) -> None:
    ana, bruno = make_user("ana"), make_user("bruno")
    post = post_by(ana, "#sunset")
    secret = secret_of(bruno)

    async def scenario() -> list[dict]:
        communicator = socket(f"access_token={secret}&stream=hashtag&tag=sunset")
        await opened(communicator)
        await subscribe(communicator, "public")
        await sync_to_async(posts.post_delete)(actor=ana, post_id=post.pk)
        got = [await communicator.receive_json_from(timeout=5) for _ in range(2)]
        await communicator.disconnect()
        return got

    got = run(scenario)
    assert sorted(message["stream"] for message in got) == [["hashtag", "sunset"], ["public"]]
    assert {(message["event"], message["payload"]) for message in got} == {("delete", str(post.pk))}


# Server-sent events


class Lines:
    """The lines of a server-sent response's body, read as they come."""

    def __init__(self, communicator: HttpCommunicator) -> None:
        self.communicator = communicator
        self.pending = ""

    async def next(self, count: int = 1) -> list[str]:
        """Return the next ``count`` lines, waiting for them (5 s at most each chunk)."""
        while self.pending.count("\n") < count:
            message = await self.communicator.receive_output(timeout=5)
            assert message["type"] == "http.response.body", message
            self.pending += message["body"].decode()
        *lines, self.pending = self.pending.split("\n", count)
        return lines

    async def until(self, line: str) -> list[str]:
        """Return the lines that follow ``line`` up to the blank line ending its event."""
        while (await self.next())[0] != line:
            pass
        after: list[str] = []
        while not after or after[-1] != "":
            after += await self.next()
        return after


def sse(path: str, secret: str | None = None) -> HttpCommunicator:
    """Return a communicator to a server-sent events path, with a bearer token if given."""
    headers = [(b"host", b"testserver")]
    if secret is not None:
        headers.append((b"authorization", f"Bearer {secret}".encode()))
    communicator = HttpCommunicator(application, "GET", path, headers=headers)
    # The communicator fills in the query string only from the path's own argument.
    base, _, query = path.partition("?")
    communicator.scope["path"], communicator.scope["query_string"] = base, query.encode()
    return communicator


def test_server_sent_events_carry_updates_and_heartbeats(
    make_user: Callable[..., User],
    secret_of: Callable[[User], str],
    publish: Callable[..., Callable[[], Any]],
    settings: Any,
) -> None:
    settings.GLIMPSE_STREAMING_HEARTBEAT_SECONDS = 0.05
    ana, bruno = make_user("ana"), make_user("bruno")
    follow(bruno, ana)
    secret = secret_of(bruno)
    post = publish(ana, "#sunset")

    async def scenario() -> tuple[dict, list[str], list[str], Post]:
        communicator = sse("/api/v1/streaming/user", secret)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(timeout=5)
        lines = Lines(communicator)
        opening = await lines.next(2)
        created = await post()
        # Heartbeats may come before it: read on to the event.
        data = await lines.until("event: update")
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(timeout=5)
        return start, opening, data, created

    start, opening, data, created = run(scenario)
    assert start["status"] == 200
    assert (b"Content-Type", b"text/event-stream") in start["headers"]
    assert opening == [":)", ":thump"]
    assert data[0].startswith("data: ")
    assert json.loads(data[0].removeprefix("data: "))["id"] == str(created.pk)
    assert data[1:] == [""]


def test_server_sent_hashtag_stream_takes_the_tag_from_the_query(
    make_user: Callable[..., User], secret_of: Callable[[User], str], post_by: Callable[..., Post]
) -> None:
    ana, bruno = make_user("ana"), make_user("bruno")
    post = post_by(ana, "#sunset")
    secret = secret_of(bruno)

    async def scenario() -> list[str]:
        communicator = sse("/api/v1/streaming/hashtag/local?tag=sunset", secret)
        await communicator.send_input({"type": "http.request", "body": b""})
        await communicator.receive_output(timeout=5)
        lines = Lines(communicator)
        assert await lines.next() == [":)"]
        await sync_to_async(posts.post_delete)(actor=ana, post_id=post.pk)
        got = await lines.next(3)
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(timeout=5)
        return got

    assert run(scenario) == ["event: delete", f"data: {post.pk}", ""]


@pytest.mark.parametrize(
    ("path", "token", "status", "error"),
    [
        ("/api/v1/streaming/user", None, 401, "Missing access token"),
        ("/api/v1/streaming/public", "nope", 401, "Invalid access token"),
        ("/api/v1/streaming/hashtag", "valid", 400, "No tag for stream provided"),
    ],
)
def test_server_sent_events_refusals_are_mastodons_json_errors(
    user: User, path: str, token: str | None, status: int, error: str
) -> None:
    secret = token_create(user=user, name="client")[1] if token == "valid" else token

    async def scenario() -> Any:
        return await sse(path, secret).get_response(timeout=5)

    response = run(scenario)
    assert response["status"] == status
    assert json.loads(response["body"]) == {"error": error}


def test_health_answers_ok() -> None:
    async def scenario() -> Any:
        return await HttpCommunicator(application, "GET", "/api/v1/streaming/health").get_response(
            timeout=5
        )

    response = run(scenario)
    assert response["status"] == 200
    assert response["body"] == b"OK"
    assert (b"Content-Type", b"text/plain; charset=utf-8") in response["headers"]


def test_other_paths_still_reach_django() -> None:
    async def scenario() -> Any:
        communicator = HttpCommunicator(
            application, "GET", "/api/v1/instance", headers=[(b"host", b"testserver")]
        )
        return await communicator.get_response(timeout=10)

    response = run(scenario)
    assert response["status"] == 200
    assert json.loads(response["body"])["uri"] == "testserver"


def test_the_glimpse_socket_still_answers(user: User, secret_of: Callable[[User], str]) -> None:
    secret = secret_of(user)

    async def scenario() -> dict:
        communicator = WebsocketCommunicator(
            application, f"/ws/?token={secret}", headers=[(b"host", b"testserver")]
        )
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        ready: dict = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return ready

    assert run(scenario)["kind"] == "ready"


def test_under_wsgi_the_streaming_paths_answer_at_once(settings: Any) -> None:
    # The web processes never hold a streaming response open: without a streaming server
    # of its own, Mastodon's 404; with one (pages told its address), a redirect there.
    assert Client().get("/api/v1/streaming/user").json() == {"error": "Record not found"}
    settings.GLIMPSE_WEBSOCKET_URL = "ws://testserver:8001/ws/"
    response = Client().get("/api/v1/streaming/hashtag?tag=sunset")
    assert response.status_code == 301
    assert response["Location"] == "http://testserver:8001/api/v1/streaming/hashtag?tag=sunset"


def test_a_socket_whose_token_is_revoked_is_closed(user: User, settings: Any) -> None:
    settings.GLIMPSE_REALTIME_RECHECK_SECONDS = 0.05
    token, secret = token_create(user=user, name="client")

    async def scenario() -> dict:
        communicator = socket(f"access_token={secret}&stream=user")
        await opened(communicator)
        await sync_to_async(token_revoke)(user=user, token_id=token.pk)
        closed: dict = await communicator.receive_output(timeout=5)
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": 1008}
