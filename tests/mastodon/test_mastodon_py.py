"""A real Mastodon client library reads Glimpse through a live server: the instance, who
signed in, the timelines, a status and its thread, and the next page by its Link header;
acts through it: uploads, posts, edits and deletes, follows, answers a follow request,
blocks and reports; and it streams the home timeline and notifications from the ASGI
server."""

from __future__ import annotations

import queue
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
import uvicorn
from mastodon import Mastodon, StreamListener
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from config.asgi import application
from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.graph import services as graph
from glimpse.graph.models import Follow
from glimpse.moderation.models import Report
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.mastodon.conftest import follow
from tests.posts.conftest import small_jpeg

pytestmark = pytest.mark.django_db(transaction=True)


def test_mastodon_py_reads_the_client_api(
    live_server: Any,
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    act: Callable[..., Any],
) -> None:
    viewer, ana = make_user("viewer", display_name="Vi"), make_user("ana")
    act(lambda: follow(viewer, ana))
    posts = [post_by(ana, f"#sunset number {n}", count=2) for n in range(3)]
    comment = act(
        lambda: services.comment_create(author=viewer, post_id=posts[0].pk, text="lovely @ana")
    )
    _, secret = token_create(user=viewer, name="client")
    client = Mastodon(access_token=secret, api_base_url=live_server.url)

    instance = client.instance()
    assert instance.configuration.statuses.max_media_attachments == 20
    assert client.verify_minimum_version("4.0.0", cached=True)
    me = client.account_verify_credentials()
    assert (me.username, me.display_name, str(me.id)) == ("viewer", "Vi", str(viewer.pk))

    home = client.timeline_home(limit=2)
    assert [str(status.id) for status in home] == [str(posts[2].pk), str(posts[1].pk)]
    older = client.fetch_next(home)
    assert older is not None
    assert [str(status.id) for status in older] == [str(posts[0].pk)]
    assert len(older[0].media_attachments) == 2
    assert older[0].media_attachments[0].type == "image"

    public = client.timeline_public(local=True)
    assert [str(status.id) for status in public] == [str(post.pk) for post in reversed(posts)]
    tagged = client.timeline_hashtag("sunset", limit=40)
    assert [status.tags[0].name for status in tagged] == ["sunset"] * 3

    status = client.status(posts[0].pk)
    assert status.replies_count == 1
    assert status.account.acct == "ana"
    context = client.status_context(posts[0].pk)
    assert [str(reply.id) for reply in context.descendants] == [str(comment.pk)]
    assert str(context.descendants[0].in_reply_to_id) == str(posts[0].pk)


def test_mastodon_py_follows_answers_a_request_blocks_and_reports(
    live_server: Any,
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    act: Callable[..., Any],
) -> None:
    ana, bob, carl = make_user("ana", is_private=True), make_user("bob"), make_user("carl")
    spam = post_by(carl, "cheap followers")

    def client_of(user: User) -> Mastodon:
        _, secret = token_create(user=user, name="client")
        return Mastodon(access_token=secret, api_base_url=live_server.url)

    asker, owner = client_of(bob), client_of(ana)
    asked = asker.account_follow(ana.pk)
    assert (asked.following, asked.requested) == (False, True)
    assert [str(account.id) for account in owner.follow_requests()] == [str(bob.pk)]
    approved = owner.follow_request_authorize(bob.pk)
    assert (str(approved.id), approved.followed_by) == (str(bob.pk), True)
    assert asker.account_relationships(ana.pk)[0].following is True
    assert Follow.objects.filter(follower=bob, followee=ana).exists()

    blocked = asker.account_block(carl.pk)
    assert (blocked.blocking, blocked.following) == (True, False)
    assert [str(account.id) for account in asker.blocks()] == [str(carl.pk)]

    report = owner.report(carl.pk, status_ids=[spam.pk], comment="ads", category="spam")
    assert (report.category, report.comment) == ("spam", "ads")
    assert [str(pk) for pk in report.status_ids] == [str(spam.pk)]
    assert Report.objects.filter(target_type="post", target_id=spam.pk).exists()
    assert list(asker.suggestions()) == []  # ana follows no one to suggest


def test_mastodon_py_uploads_posts_edits_and_deletes(
    live_server: Any, make_user: Callable[..., User]
) -> None:
    ana = make_user("ana")
    _, secret = token_create(user=ana, name="client")
    client = Mastodon(access_token=secret, api_base_url=live_server.url)

    media = client.media_post(
        small_jpeg(9, (640, 480)), mime_type="image/jpeg", description="A quiet street"
    )
    assert media.url is not None  # jobs run in-process here: processed before it answers
    media = client.media_update(media, description="A quiet street at dawn", focus=(0.25, -0.5))
    assert media.meta.focus.x == 0.25

    status = client.status_post("Morning walk #street", media_ids=[media], idempotency_key="w1")
    again = client.status_post("Morning walk #street", media_ids=[media], idempotency_key="w1")
    assert str(again.id) == str(status.id)
    assert status.media_attachments[0].description == "A quiet street at dawn"
    assert Post.objects.filter(author=ana).count() == 1

    reply = client.status_post("and back", in_reply_to_id=status.id)
    assert str(reply.in_reply_to_id) == str(status.id)

    edited = client.status_update(status, "Morning walk, edited")
    assert edited.edited_at is not None
    assert [v.content for v in client.status_history(status)] == [
        '<p>Morning walk <a href="' + status.tags[0].url + '" class="mention hashtag" rel="tag">'
        "#<span>street</span></a></p>",
        "<p>Morning walk, edited</p>",
    ]
    deleted = client.status_delete(status)
    assert deleted.text == "Morning walk, edited"
    assert not Post.objects.filter(author=ana).exists()


@contextmanager
def asgi_server() -> Iterator[str]:
    """Serve the ASGI application on a free port of 127.0.0.1 in a thread; yield its address.

    The server is stopped on the way out, whatever happened, within a bounded time.
    """
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    config = uvicorn.Config(
        application,
        lifespan="off",
        log_level="warning",
        ws_per_message_deflate=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):  # up to 10 s for the server to start
            if server.started or not thread.is_alive():
                break
            threading.Event().wait(0.05)
        assert server.started, "the ASGI server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listening.close()


class Recorder(StreamListener):
    """Keep what a stream delivers, and tell when the stream is open (its first comment)."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def handle_heartbeat(self) -> None:
        """Note that the stream is open."""
        self.opened.set()

    def on_update(self, status: Any) -> None:
        """Keep a new status."""
        self.events.put(("update", status))

    def on_notification(self, notification: Any) -> None:
        """Keep a notification."""
        self.events.put(("notification", notification))


def test_mastodon_py_streams_the_home_timeline_and_notifications(
    make_user: Callable[..., User],
    media_for: Callable[..., list],
    settings: Any,
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    viewer, ana, bruno = make_user("viewer"), make_user("ana"), make_user("bruno")
    follow(viewer, ana)
    media = media_for(ana, 1)
    _, secret = token_create(user=viewer, name="client")
    with asgi_server() as base:
        client = Mastodon(access_token=secret, api_base_url=base, request_timeout=10)
        recorder = Recorder()
        handle = client.stream_user(recorder, run_async=True, timeout=10)
        try:
            assert recorder.opened.wait(timeout=10), "the stream did not open"
            post = services.post_create(author=ana, media_ids=[media[0].pk], caption="#live")
            kind, status = recorder.events.get(timeout=10)
            graph.follow_create(follower=bruno, followee=viewer)
            second, notification = recorder.events.get(timeout=10)
        finally:
            handle.close()
    assert kind == "update"
    assert str(status.id) == str(post.pk)
    assert status.account.acct == "ana"
    assert second == "notification"
    assert notification.type == "follow"
    assert notification.account.acct == "bruno"


def test_the_websocket_handshake_through_a_real_server(make_user: Callable[..., User]) -> None:
    _, secret = token_create(user=make_user("viewer"), name="client")
    with asgi_server() as base:
        url = base.replace("http://", "ws://") + "/api/v1/streaming"
        with pytest.raises(InvalidStatus) as refused:
            connect(url + "?access_token=wrong", open_timeout=10).close()
        with connect(url, subprotocols=[secret], open_timeout=10) as accepted:  # type: ignore[list-item]
            chosen = accepted.subprotocol
            accepted.send('{"type":"subscribe","stream":"nonsense"}')
            answer = accepted.recv(timeout=10)
        ok = requests.get(base + "/api/v1/streaming/health", timeout=10)
    assert refused.value.response.status_code == 401
    assert b"Invalid access token" in refused.value.response.body
    assert chosen == secret
    assert answer == '{"error":"Unknown stream type","status":400,"stream":["nonsense"]}'
    assert (ok.status_code, ok.text) == (200, "OK")
