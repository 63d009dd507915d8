"""Direct messages in real time: each event reaches the members it concerns, as each sees it,
over real websockets (the whole ASGI stack), and nobody else.

Every case opens a socket per account, acts through the API, then reads everything each
socket got. The Web Push cases are at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.urls import reverse
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services import account_suspend, token_create
from glimpse.core.errors import NotFound
from glimpse.messages import selectors
from glimpse.messages.models import Conversation, Member, Message, MessageReaction
from glimpse.realtime.buffers import get_buffer
from glimpse.realtime.presence import get_presence
from glimpse.realtime.slots import get_slots
from tests.conftest import ApiClient
from tests.posts.conftest import follow, media_for, publish
from tests.push.conftest import FakeBrowser, PushService, browser_for, push_service
from tests.realtime.conftest import open_ready, socket

__all__ = ["browser_for", "media_for", "publish", "push_service"]  # fixtures used here

pytestmark = pytest.mark.django_db(transaction=True)

Events = dict[str, list[dict[str, Any]]]
QUIET = 0.4  # seconds a socket stays silent before it is taken to have got everything


@pytest.fixture(autouse=True)
def _fresh_realtime() -> Iterator[None]:
    """Give each test empty replay buffers, socket slots and presence marks."""
    for cached in (get_buffer, get_slots, get_presence):
        cached.cache_clear()
    yield
    for cached in (get_buffer, get_slots, get_presence):
        cached.cache_clear()


@pytest.fixture(params=["in-memory", "redis"])
def layer(request: pytest.FixtureRequest, settings: Any) -> str:
    """Run the test on each channel layer: the embedded default's, then Redis's."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        backend = "channels_redis.core.RedisChannelLayer"
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": backend, "CONFIG": {"hosts": [url]}}}
    return str(request.param)


class People:
    """Accounts by name, each with an API client, and the sockets' listener."""

    def __init__(self, make_user: Callable[..., User], names: Sequence[str]) -> None:
        self.users = {name: make_user(name) for name in names}
        self.secrets = {
            name: token_create(user=u, name="phone")[1] for name, u in self.users.items()
        }

    def __getitem__(self, name: str) -> User:
        return self.users[name]

    def api(self, name: str) -> ApiClient:
        return ApiClient(self.secrets[name])

    def listen(self, action: Callable[[], Any], *, only: Sequence[str] = ()) -> tuple[Any, Events]:
        """Open a socket for each account (or those named), do the action, and return its
        result and what each socket got, by account name."""
        names = list(only or self.users)

        async def scenario() -> tuple[Any, Events]:
            sockets = {name: socket(f"token={self.secrets[name]}") for name in names}
            for communicator in sockets.values():
                await open_ready(communicator)
            await _present([self.users[name].pk for name in names])
            result = await sync_to_async(action)()
            got = await asyncio.gather(*(_drain(c) for c in sockets.values()))
            for communicator in sockets.values():
                await communicator.disconnect()
            return result, dict(zip(sockets, got, strict=True))

        return async_to_sync(scenario)()


async def _present(account_ids: list[int]) -> None:
    """Wait until the sockets just opened have marked their accounts present."""
    for _ in range(200):
        if get_presence().present(account_ids) == account_ids:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the sockets did not mark their accounts present")


async def _drain(communicator: Any) -> list[dict[str, Any]]:
    """Return every event a socket gets until it stays quiet."""
    events = []
    while not await communicator.receive_nothing(timeout=QUIET):
        events.append(await communicator.receive_json_from(timeout=2))
    return events


def kinds(events: list[dict[str, Any]]) -> list[str]:
    return [event["kind"] for event in events]


def of_kind(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [event["data"] for event in events if event["kind"] == kind]


def state() -> list[list[Any]]:
    """Return every row of direct messages, to assert that nothing changed."""
    models: list[Any] = [Conversation, Member, Message, MessageReaction]
    return [list(model.objects.order_by("pk").values()) for model in models]


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def start(people: People, by: str, *others: str, name: str = "") -> str:
    """Start a conversation through the API; return its id."""
    body = {"usernames": list(others), "name": name}
    return str(ok(people.api(by).post("conversations", body), 201)["id"])


def send(people: People, by: str, conversation_id: str, **body: Any) -> dict[str, Any]:
    """Send a message through the API; return it as its sender sees it."""
    return ok(people.api(by).post(f"conversations/{conversation_id}/messages", body), 201)


def latest(people: People, name: str, conversation_id: str) -> dict[str, Any]:
    """Return the newest message of a conversation as the account's API shows it."""
    return ok(people.api(name).get(f"conversations/{conversation_id}/messages"))["items"][0]


@pytest.fixture
def group(make_user: Callable[..., User], publish: Callable[..., Any]) -> tuple[People, str, Any]:
    """ana's group with bo and cy (who follow her, so it is in their inbox), eve outside, and
    a post of dee's private account that ana and bo may see and cy may not."""
    people = People(make_user, ["ana", "bo", "cy", "dee", "eve"])
    for fan in ("bo", "cy"):
        follow(people[fan], people["ana"])
    people["dee"].is_private = True
    people["dee"].save()
    for fan in ("ana", "bo"):
        follow(people[fan], people["dee"])
    post = publish(people["dee"])
    return people, start(people, "ana", "bo", "cy", name="Trip"), post


# --- Each event, to whom and with what -------------------------------------------------------


def test_a_new_message_reaches_each_member_as_that_member_sees_it(group, layer: str) -> None:
    people, chat, post = group
    sent, got = people.listen(lambda: send(people, "ana", chat, shared_post_id=str(post.pk)))

    assert kinds(got["ana"]) == ["message.new"]  # no badge for the sender
    assert (
        sorted(kinds(got["bo"])) == sorted(kinds(got["cy"])) == ["message.new", "messages.unread"]
    )
    assert got["dee"] == got["eve"] == []  # the post's author is not a member
    for name in ("ana", "bo", "cy"):
        [shown] = of_kind(got[name], "message.new")
        assert shown["message"] == latest(people, name, chat)  # the API's view, to the letter
        assert shown["message"]["id"] == sent["id"]
        assert shown["message"]["is_own"] is (name == "ana")
    by = {n: of_kind(got[n], "message.new")[0]["message"]["shared"] for n in ("ana", "bo", "cy")}
    assert by["ana"]["available"]
    assert by["bo"]["available"]
    assert by["bo"]["post"]["id"] == str(post.pk)
    # cy does not follow dee's private account: the card only says what it was.
    assert by["cy"] == {
        "kind": "post",
        "available": False,
        "post": None,
        "story": None,
        "account": None,
    }
    assert of_kind(got["bo"], "messages.unread") == of_kind(got["cy"], "messages.unread")
    assert of_kind(got["bo"], "messages.unread") == [{"count": 1}]


def test_an_edit_reaches_every_member(group) -> None:
    people, chat, _ = group
    sent = send(people, "ana", chat, text="see you at 8")
    response, got = people.listen(
        lambda: people.api("ana").patch(f"messages/{sent['id']}", {"text": "see you at 9"})
    )
    ok(response)
    for name in ("ana", "bo", "cy"):
        [edited] = [event["data"]["message"] for event in got[name]]
        assert kinds(got[name]) == ["message.edited"]
        assert edited == latest(people, name, chat)
        assert edited["text"] == "see you at 9"
        assert edited["edited_at"] is not None
    assert got["dee"] == got["eve"] == []


def test_a_reaction_reaches_every_member_with_their_own_mark(group) -> None:
    people, chat, _ = group
    sent = send(people, "ana", chat, text="tickets booked")
    response, got = people.listen(
        lambda: people.api("bo").post(f"messages/{sent['id']}/reactions", {"emoji": "🎉"})
    )
    ok(response)
    for name in ("ana", "bo", "cy"):
        assert kinds(got[name]) == ["message.reactions"]
        shown = got[name][0]["data"]["message"]
        assert shown == latest(people, name, chat)
        assert shown["reactions"] == [{"emoji": "🎉", "count": 1, "viewer_reacted": name == "bo"}]
    assert got["dee"] == got["eve"] == []

    response, got = people.listen(
        lambda: people.api("bo").delete(f"messages/{sent['id']}/reactions"), only=["ana", "eve"]
    )
    ok(response)
    assert of_kind(got["ana"], "message.reactions")[0]["message"]["reactions"] == []
    assert got["eve"] == []


def test_an_unsent_message_is_gone_for_every_member_and_their_badges_follow(group) -> None:
    people, chat, _ = group
    sent = send(people, "ana", chat, text="wrong chat")
    response, got = people.listen(lambda: people.api("ana").delete(f"messages/{sent['id']}"))
    ok(response, 204)
    gone = {"conversation_id": chat, "message_id": sent["id"]}
    for name in ("ana", "bo", "cy"):
        assert of_kind(got[name], "message.unsent") == [gone]
        assert of_kind(got[name], "messages.unread") == [{"count": 0}]
    assert got["dee"] == got["eve"] == []


@pytest.mark.parametrize("off", [None, "ana", "bo"])
def test_a_read_mark_reaches_the_other_side_only_when_both_send_receipts(
    make_user, off: str | None
) -> None:
    people = People(make_user, ["ana", "bo", "eve"])
    follow(people["bo"], people["ana"])
    chat = start(people, "ana", "bo")
    sent = send(people, "ana", chat, text="are you coming?")
    if off:
        ok(people.api(off).patch("conversations/settings", {"read_receipts": False}))
    response, got = people.listen(
        lambda: people.api("bo").post(f"conversations/{chat}/read", {"message_id": sent["id"]})
    )
    assert ok(response) == {"last_read_id": sent["id"]}
    mark = {"conversation_id": chat, "account_id": str(people["bo"].pk), "message_id": sent["id"]}
    assert got["ana"] == (
        [] if off else [{"id": got["ana"][0]["id"], "kind": "conversation.read", "data": mark}]
    )
    assert got["bo"][0]["kind"] == "messages.unread"  # the reader's own badge, whatever
    assert [event["data"] for event in got["bo"]] == [{"count": 0}]
    assert got["eve"] == []


def test_a_request_recipients_read_mark_is_not_sent_until_accepted(make_user) -> None:
    people = People(make_user, ["ana", "zed"])  # ana does not follow zed: a request for her
    chat = start(people, "zed", "ana")
    sent = send(people, "zed", chat, text="hi, saw your photos")
    read = {"message_id": sent["id"]}
    response, got = people.listen(
        lambda: people.api("ana").post(f"conversations/{chat}/read", read)
    )
    ok(response)
    assert got["zed"] == []  # the sender cannot tell whether a request was read
    assert kinds(got["ana"]) == ["messages.unread"]

    response, got = people.listen(
        lambda: people.api("ana").patch(f"conversations/{chat}", {"accepted": True})
    )
    ok(response)
    # Accepted: both sides now see how far the other read.
    assert of_kind(got["zed"], "conversation.read") == [
        {"conversation_id": chat, "account_id": str(people["ana"].pk), "message_id": sent["id"]}
    ]
    assert of_kind(got["ana"], "conversation.read") == [
        {"conversation_id": chat, "account_id": str(people["zed"].pk), "message_id": sent["id"]}
    ]


def test_typing_reaches_the_other_members_with_a_page_open(group, layer: str) -> None:
    people, chat, _ = group
    response, got = people.listen(lambda: people.api("bo").post(f"conversations/{chat}/typing"))
    ok(response, 204)
    bo = people["bo"]
    for name in ("ana", "cy"):
        assert of_kind(got[name], "conversation.typing") == [
            {
                "conversation_id": chat,
                "account": {
                    "id": str(bo.pk),
                    "username": "bo",
                    "display_name": bo.display_name,
                    "is_private": False,
                    "avatar": None,
                },
            }
        ]
        assert kinds(got[name]) == ["conversation.typing"]
    assert got["bo"] == got["dee"] == got["eve"] == []


def test_a_request_recipient_cannot_type(make_user) -> None:
    people = People(make_user, ["ana", "zed"])
    chat = start(people, "zed", "ana")
    send(people, "zed", chat, text="hello?")
    before = state()
    response, got = people.listen(lambda: people.api("ana").post(f"conversations/{chat}/typing"))
    assert response.status_code == 403
    assert got == {"ana": [], "zed": []}
    assert state() == before


def test_renaming_and_membership_changes_reach_the_members_and_those_just_out(group) -> None:
    people, chat, _ = group
    updated = [{"conversation_id": chat}]
    response, got = people.listen(
        lambda: people.api("bo").patch(f"conversations/{chat}", {"name": "Trip to Porto"})
    )
    ok(response)
    assert {name: of_kind(events, "conversation.updated") for name, events in got.items()} == {
        "ana": updated, "bo": updated, "cy": updated, "dee": [], "eve": []
    }  # fmt: skip

    response, got = people.listen(
        lambda: people.api("ana").delete(f"conversations/{chat}/members/cy")
    )
    ok(response, 204)
    for name in ("ana", "bo", "cy"):
        assert of_kind(got[name], "conversation.updated") == updated
    assert got["eve"] == []

    response, got = people.listen(lambda: people.api("bo").post(f"conversations/{chat}/leave"))
    ok(response, 204)
    assert of_kind(got["ana"], "conversation.updated") == updated
    assert of_kind(got["bo"], "conversation.updated") == updated  # the one who left
    assert got["cy"] == []  # removed before: no longer told


def test_the_badge_counts_conversations_with_unread_messages(group) -> None:
    people, chat, _ = group
    direct = start(people, "ana", "bo")
    send(people, "ana", chat, text="one")

    def badge(action: Callable[[], Any]) -> list[dict[str, Any]]:
        _, got = people.listen(action, only=["bo"])
        return of_kind(got["bo"], "messages.unread")

    assert badge(lambda: send(people, "ana", direct, text="two")) == [{"count": 2}]
    assert badge(lambda: send(people, "ana", chat, text="three")) == [{"count": 2}]
    mute = {"muted": True}
    assert badge(lambda: people.api("bo").patch(f"conversations/{chat}", mute)) == [{"count": 1}]
    last = latest(people, "bo", direct)["id"]
    read = {"message_id": last}
    assert badge(lambda: people.api("bo").post(f"conversations/{direct}/read", read)) == [
        {"count": 0}
    ]
    assert ok(people.api("bo").get("conversations/unread")) == {"count": 0, "requests": 0}


# --- Who hears nothing: the privacy matrix over socket events --------------------------------


def _missing(path: str, ids: dict[str, str]) -> str:
    """Return the same path with ids that exist nowhere."""
    for real in ids.values():
        path = path.replace(real, "1")
    return path


def _attempts(chat: str, message_id: str) -> list[tuple[str, str, Any]]:
    """Return what someone may try in a conversation and on one of its messages."""
    return [
        ("get", f"conversations/{chat}", None),
        ("get", f"conversations/{chat}/messages", None),
        ("post", f"conversations/{chat}/messages", {"text": "let me in"}),
        ("post", f"conversations/{chat}/typing", None),
        ("post", f"conversations/{chat}/read", {"message_id": message_id}),
        ("patch", f"conversations/{chat}", {"muted": True}),
        ("delete", f"conversations/{chat}", None),
        ("post", f"conversations/{chat}/members", {"usernames": ["eve"]}),
        ("post", f"conversations/{chat}/leave", None),
        ("post", f"messages/{message_id}/reactions", {"emoji": "👀"}),
        ("patch", f"messages/{message_id}", {"text": "mine now"}),
        ("delete", f"messages/{message_id}", None),
    ]


def _refused_like_missing(
    people: People, name: str, chat: str, message_id: str
) -> Callable[[], list[tuple[str, int, Any, Any]]]:
    """Return an action trying everything as ``name``; it answers each path's status, body
    and the body of the same request for ids that exist nowhere."""

    def act() -> list[tuple[str, int, Any, Any]]:
        client = people.api(name)
        answers = []
        for method, path, body in _attempts(chat, message_id):
            call = getattr(client, method)
            args = (body,) if body is not None else ()
            response = call(path, *args)
            missing = call(_missing(path, {"chat": chat, "message": message_id}), *args)
            answers.append((path, response.status_code, response.json(), missing.json()))
        return answers

    return act


def _assert_all_404_like_missing(answers: list[tuple[str, int, Any, Any]]) -> None:
    for path, status, body, missing in answers:
        assert (path, status) == (path, 404)
        assert body == missing


@pytest.mark.parametrize("outsider", ["never a member", "removed", "left"])
def test_an_account_outside_a_group_gets_no_event_and_changes_nothing(
    group, outsider: str, layer: str
) -> None:
    people, chat, _ = group
    first = send(people, "ana", chat, text="before")
    who = "eve" if outsider == "never a member" else "cy"
    if outsider == "removed":
        ok(people.api("ana").delete(f"conversations/{chat}/members/cy"), 204)
    elif outsider == "left":
        ok(people.api("cy").post(f"conversations/{chat}/leave"), 204)

    def members_act() -> None:
        later = send(people, "ana", chat, text="after")
        ok(people.api("ana").patch(f"messages/{first['id']}", {"text": "before, edited"}))
        ok(people.api("bo").post(f"messages/{first['id']}/reactions", {"emoji": "👍"}))
        ok(people.api("bo").post(f"conversations/{chat}/read", {"message_id": later["id"]}))
        ok(people.api("bo").post(f"conversations/{chat}/typing"), 204)
        ok(people.api("bo").patch(f"conversations/{chat}", {"name": "Trip, day 2"}))
        ok(people.api("ana").delete(f"messages/{later['id']}"), 204)

    _, got = people.listen(members_act, only=["ana", who])
    assert got[who] == []
    assert {"message.new", "message.edited", "message.reactions", "conversation.read",
            "conversation.typing", "conversation.updated", "message.unsent"} <= set(
        kinds(got["ana"])
    )  # fmt: skip

    before = state()
    answers, got = people.listen(_refused_like_missing(people, who, chat, first["id"]))
    _assert_all_404_like_missing(answers)
    assert all(events == [] for events in got.values()), got
    assert state() == before


def test_a_block_hides_a_one_to_one_both_ways(make_user) -> None:
    people = People(make_user, ["ana", "bo"])
    follow(people["bo"], people["ana"])
    chat = start(people, "ana", "bo")
    first = send(people, "ana", chat, text="hi")
    ok(people.api("ana").post("accounts/bo/block"), 204)
    before = state()
    for name in ("ana", "bo"):
        answers, got = people.listen(_refused_like_missing(people, name, chat, first["id"]))
        _assert_all_404_like_missing(answers)
        assert got == {"ana": [], "bo": []}
        assert ok(people.api(name).get("conversations"))["items"] == []
    assert state() == before


def test_in_a_group_a_block_hides_each_sides_messages_from_the_other(group) -> None:
    people, chat, _ = group
    ok(people.api("ana").post("accounts/bo/block"), 204)
    members = ["ana", "bo", "cy"]
    sent, got = people.listen(lambda: send(people, "bo", chat, text="from bo"), only=members)
    assert got["ana"] == []
    assert of_kind(got["cy"], "message.new")[0]["message"]["id"] == sent["id"]
    sent, got = people.listen(lambda: send(people, "ana", chat, text="from ana"), only=members)
    assert got["bo"] == []
    assert of_kind(got["cy"], "message.new")[0]["message"]["id"] == sent["id"]
    before = state()
    response, got = people.listen(
        lambda: people.api("bo").post(f"messages/{sent['id']}/reactions", {"emoji": "😠"}),
        only=members,
    )
    assert response.status_code == 404
    assert got == {"ana": [], "bo": [], "cy": []}
    assert state() == before


def test_who_is_told_of_a_message_is_who_may_read_it_one_at_a_time(make_user) -> None:
    # Delivery decides who may read a message for all members at once; it must agree with
    # the one-viewer rule the API asks, whatever blocks, departures and suspensions say.
    people = People(make_user, ["ana", "bo", "cy", "dee", "eve"])
    for fan in ("bo", "cy", "dee", "eve"):
        follow(people[fan], people["ana"])
    follow(people["eve"], people["bo"])
    chats = [
        start(people, "ana", "bo", "cy", "dee", name="All"),
        start(people, "ana", "eve"),
        start(people, "bo", "eve"),
    ]
    senders = {chats[0]: ["ana", "bo", "cy"], chats[1]: ["ana", "eve"], chats[2]: ["bo", "eve"]}
    sent = [
        int(send(people, by, chat, text=by)["id"]) for chat, bys in senders.items() for by in bys
    ]

    def agree() -> None:
        every = Message.objects.filter(pk__in=sent)
        for message in every:
            allowed = set()
            for member in Member.objects.filter(conversation_id=message.conversation_id):
                with contextlib.suppress(NotFound):
                    selectors.message_get(viewer=member.account, message_id=message.pk)
                    allowed.add(member.account_id)
            assert set(selectors.message_for_members(message_id=message.pk)) == allowed

    changes = [
        lambda: ok(people.api("cy").post("accounts/bo/block"), 204),
        lambda: ok(people.api("dee").post(f"conversations/{chats[0]}/leave"), 204),
        lambda: ok(people.api("bo").delete(f"conversations/{chats[0]}"), 204),
        lambda: ok(people.api("eve").post("accounts/ana/block"), 204),
        lambda: account_suspend(user=people["bo"], until=timezone.now() + timedelta(days=1)),
    ]
    agree()
    for change in changes:
        change()
        agree()


# --- Web Push: to members with no page open ---------------------------------------------------


def test_a_message_is_pushed_to_a_member_with_no_page_open_only(
    group, push_service: PushService, browser_for: Callable[[str], FakeBrowser]
) -> None:
    people, chat, _ = group
    phones = {name: browser_for(f"{name}-phone") for name in ("ana", "bo", "cy")}
    for name, phone in phones.items():
        phone.subscribe(people[name])
    # cy has a page open, bo has none, and ana sends: her own message is never pushed to her.
    _, got = people.listen(lambda: send(people, "ana", chat, text="dinner at 8?"), only=["cy"])
    assert "message.new" in kinds(got["cy"])
    [push] = push_service.received
    assert push.path == "/push/bo-phone"
    shown = phones["bo"].read(push)
    assert shown["title"] == "ana"
    assert shown["body"] == "dinner at 8?"
    assert shown["url"] == reverse("messages:conversation", args=[int(chat)])
    assert shown["tag"] == f"conversation-{chat}"
    assert push.headers["topic"] == f"c{chat}"


def test_a_shared_post_is_pushed_without_what_the_member_may_not_see(
    group, push_service: PushService, browser_for: Callable[[str], FakeBrowser]
) -> None:
    people, chat, post = group
    phone = browser_for("cy-phone")
    phone.subscribe(people["cy"])
    send(people, "ana", chat, shared_post_id=str(post.pk))
    [push] = push_service.received
    assert phone.read(push)["body"] == "Shared a post"


def test_no_push_for_a_muted_conversation_nor_to_a_request_recipient(
    make_user, push_service: PushService, browser_for: Callable[[str], FakeBrowser]
) -> None:
    people = People(make_user, ["ana", "bo", "zed"])
    follow(people["bo"], people["ana"])  # zed does not: the group is a request for zed
    chat = start(people, "ana", "bo", "zed", name="Plans")
    for name in ("bo", "zed"):
        browser_for(f"{name}-phone").subscribe(people[name])
    ok(people.api("bo").patch(f"conversations/{chat}", {"muted": True}))
    send(people, "ana", chat, text="anyone?")
    assert push_service.received == []
    ok(people.api("bo").patch(f"conversations/{chat}", {"muted": False}))
    send(people, "ana", chat, text="anyone at all?")
    assert [push.path for push in push_service.received] == ["/push/bo-phone"]


def test_no_push_of_a_message_hidden_from_the_member_by_a_block(
    group, push_service: PushService, browser_for: Callable[[str], FakeBrowser]
) -> None:
    people, chat, _ = group
    for name in ("ana", "cy"):
        browser_for(f"{name}-phone").subscribe(people[name])
    ok(people.api("ana").post("accounts/bo/block"), 204)
    send(people, "bo", chat, text="from bo")
    assert [push.path for push in push_service.received] == ["/push/cy-phone"]
