"""Direct messages through the API: every endpoint, its answers and its errors."""

from __future__ import annotations

from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.messages.models import Conversation, Member, Message
from tests.messages.conftest import api_as, friends, send, snapshot, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(ana: User, bob: User) -> Conversation:
    friends(ana, bob)
    return start(ana, bob)


class TestConversations:
    def test_start_answers_201_then_200_for_the_same_one_to_one(self, ana: User, bob: User) -> None:
        friends(ana, bob)
        made = api_as(ana).post("conversations", {"usernames": ["bob"]})
        again = api_as(bob).post("conversations", {"usernames": ["ana"]})
        assert made.status_code == 201
        assert again.status_code == 200
        assert made.json()["id"] == again.json()["id"]
        body = made.json()
        assert body["kind"] == "direct"
        assert body["title"] == "Bob Reis"
        assert [m["account"]["username"] for m in body["members"]] == ["bob"]
        assert body["viewer"] == {
            "role": "member",
            "accepted": True,
            "muted": False,
            "last_read_id": "0",
        }

    def test_start_refusals_are_clear_and_write_nothing(
        self, ana: User, bob: User, settings
    ) -> None:
        client = api_as(ana)
        before = snapshot()
        unknown = client.post("conversations", {"usernames": ["nobody-here"]})
        assert unknown.status_code == 422
        assert unknown.json()["error"]["fields"]["usernames"] == ["No account named nobody-here."]
        assert client.post("conversations", {"usernames": "bob"}).status_code == 422
        assert (
            client.post("conversations", {"usernames": ["bob"], "name": "x" * 61}).status_code
            == 422
        )
        settings.GLIMPSE_MESSAGE_REQUESTS_PER_DAY = 0
        limited = client.post("conversations", {"usernames": ["bob"]})
        assert limited.status_code == 429
        assert int(limited["Retry-After"]) > 0
        assert snapshot() == before
        assert api_as(None).post("conversations", {"usernames": ["bob"]}).status_code == 401

    def test_inbox_requests_and_unread(self, ana: User, bob: User, cleo: User) -> None:
        friends(ana, bob)
        with_bob = start(ana, bob)
        send(bob, with_bob, "hi ana")
        from_cleo = start(cleo, ana)  # ana doesn't follow cleo: a request
        send(cleo, from_cleo, "hello?")
        client = api_as(ana)
        inbox = client.get("conversations").json()
        assert [c["id"] for c in inbox["items"]] == [str(with_bob.pk)]
        assert inbox["items"][0]["unread_count"] == 1
        assert inbox["items"][0]["preview"] == "hi ana"
        assert inbox["items"][0]["last_message"]["text"] == "hi ana"
        requests = client.get("conversations/requests").json()
        assert [c["id"] for c in requests["items"]] == [str(from_cleo.pk)]
        assert client.get("conversations/unread").json() == {"count": 1, "requests": 1}

    def test_inbox_pages_by_activity(self, ana: User, make_user) -> None:
        others = [make_user(f"friend{n}") for n in range(5)]
        friends(ana, *others)
        made = [start(ana, other) for other in others]
        send(ana, made[0], "bumps the first to the top")
        client = api_as(ana)
        first = client.get("conversations?limit=3").json()
        second = client.get(f"conversations?limit=3&max_id={first['next_max_id']}").json()
        ids = [c["id"] for c in first["items"] + second["items"]]
        expected = [made[0], *reversed(made[1:])]
        assert ids == [str(c.pk) for c in expected]
        assert second["next_max_id"] is None

    def test_patch_mutes_accepts_and_renames(self, ana: User, bob: User, cleo: User) -> None:
        friends(ana, bob)
        group = start(ana, bob, name="Plans")
        client = api_as(bob)
        body = client.patch(
            f"conversations/{group.pk}", {"name": "New plans", "muted": True}
        ).json()
        assert body["name"] == "New plans"
        assert body["viewer"]["muted"] is True
        request = start(cleo, bob)
        accepted = client.patch(f"conversations/{request.pk}", {"accepted": True}).json()
        assert accepted["viewer"]["accepted"] is True

    def test_members_admins_and_leaving(self, ana: User, bob: User, cleo: User) -> None:
        friends(ana, bob, cleo)
        group = start(ana, bob, name="Plans")
        client = api_as(ana)
        added = client.post(f"conversations/{group.pk}/members", {"usernames": ["cleo"]})
        assert [m["account"]["username"] for m in added.json()["members"]] == ["bob", "cleo"]
        made_admin = client.request("PUT", f"conversations/{group.pk}/members/bob", {"admin": True})
        assert {m["account"]["username"]: m["role"] for m in made_admin.json()["members"]} == {
            "bob": "admin",
            "cleo": "member",
        }
        assert client.delete(f"conversations/{group.pk}/members/cleo").status_code == 204
        assert client.post(f"conversations/{group.pk}/leave").status_code == 204
        assert api_as(cleo).get(f"conversations/{group.pk}").status_code == 404
        assert api_as(bob).get(f"conversations/{group.pk}").json()["members"] == []

    def test_delete_for_me(self, pair: Conversation, ana: User, bob: User) -> None:
        send(ana, pair)
        client = api_as(bob)
        assert client.delete(f"conversations/{pair.pk}").status_code == 204
        assert client.get("conversations").json()["items"] == []
        assert client.get(f"conversations/{pair.pk}/messages").json()["items"] == []

    def test_settings(self, ana: User) -> None:
        client = api_as(ana)
        assert client.get("conversations/settings").json() == {
            "allow_from": "everyone",
            "read_receipts": True,
        }
        changed = client.patch("conversations/settings", {"allow_from": "following"})
        assert changed.json()["allow_from"] == "following"
        assert client.patch("conversations/settings", {"allow_from": "aliens"}).status_code == 422


class TestMessages:
    def test_send_list_and_page(self, pair: Conversation, ana: User) -> None:
        client = api_as(ana)
        for n in range(5):
            sent = client.post(f"conversations/{pair.pk}/messages", {"text": f"message {n}"})
            assert sent.status_code == 201
            assert sent.json()["is_own"] is True
        first = client.get(f"conversations/{pair.pk}/messages?limit=3").json()
        rest = client.get(
            f"conversations/{pair.pk}/messages?limit=3&max_id={first['next_max_id']}"
        ).json()
        texts = [m["text"] for m in first["items"] + rest["items"]]
        assert texts == [f"message {n}" for n in reversed(range(5))]

    def test_send_refusals(self, pair: Conversation, ana: User, bob: User) -> None:
        client = api_as(ana)
        before = snapshot()
        for body in (
            {},
            {"text": "  "},
            {"text": "x" * 1001},
            {"shared_post_id": "12345"},
            {"shared_story_id": "12345"},
            {"shared_username": "nobody-here"},
            {"text": "hi", "reply_to_id": "999"},
            {"text": "hi", "media_ids": ["999"]},
            {"text": ["not", "text"]},
        ):
            answer = client.post(f"conversations/{pair.pk}/messages", body)
            assert answer.status_code in (404, 422), body
            assert set(answer.json()["error"]) == {"code", "message", "fields"}
        assert snapshot() == before

    def test_a_request_is_read_but_not_answered_until_accepted(self, ana: User, cleo: User) -> None:
        request = start(cleo, ana)
        message = send(cleo, request, "hello?")
        client = api_as(ana)
        before = snapshot()
        assert (
            client.post(f"conversations/{request.pk}/messages", {"text": "hi"}).status_code == 403
        )
        assert client.post(f"messages/{message.pk}/reactions", {"emoji": "❤️"}).status_code == 403
        assert client.post(f"conversations/{request.pk}/typing").status_code == 403
        assert snapshot() == before
        assert client.get(f"conversations/{request.pk}/messages").json()["items"][0]["text"] == (
            "hello?"
        )

    def test_edit_unsend_react(self, pair: Conversation, ana: User, bob: User) -> None:
        message = send(ana, pair, "helo")
        client = api_as(ana)
        edited = client.patch(f"messages/{message.pk}", {"text": "hello"}).json()
        assert edited["text"] == "hello"
        assert edited["edited_at"] is not None
        reacted = api_as(bob).post(f"messages/{message.pk}/reactions", {"emoji": "❤️"}).json()
        assert reacted["reactions"] == [{"emoji": "❤️", "count": 1, "viewer_reacted": True}]
        assert api_as(bob).delete(f"messages/{message.pk}/reactions").json()["reactions"] == []
        assert api_as(bob).patch(f"messages/{message.pk}", {"text": "mine"}).status_code == 403
        assert api_as(bob).delete(f"messages/{message.pk}").status_code == 403
        assert client.delete(f"messages/{message.pk}").status_code == 204
        assert client.delete(f"messages/{message.pk}").status_code == 404

    def test_read_marks(self, pair: Conversation, ana: User, bob: User) -> None:
        message = send(ana, pair)
        read = api_as(bob).post(f"conversations/{pair.pk}/read", {"message_id": str(message.pk)})
        assert read.json() == {"last_read_id": str(message.pk)}
        detail = api_as(ana).get(f"conversations/{pair.pk}").json()
        assert detail["read_marks"] == {str(bob.pk): str(message.pk)}
        assert (
            api_as(bob).post(f"conversations/{pair.pk}/read", {"message_id": "1"}).status_code
            == 404
        )

    def test_a_shared_post_is_a_post_card(self, pair: Conversation, ana: User, publish) -> None:
        post = publish(ana)
        sent = api_as(ana).post(
            f"conversations/{pair.pk}/messages", {"shared_post_id": str(post.pk)}
        )
        shared = sent.json()["shared"]
        assert shared["kind"] == "post"
        assert shared["available"] is True
        assert shared["post"]["id"] == str(post.pk)
        assert shared["post"]["media"]


OUTSIDERS = ["stranger", "blocked", "removed", "left", "anonymous"]


def outsider(kind: str, group: Conversation, direct: Conversation, make_user) -> tuple:
    """Return an API client for an account outside a conversation, and that conversation."""
    ana = User.objects.get(username="ana")
    if kind == "stranger":
        return api_as(make_user("stranger")), group
    if kind == "anonymous":
        return api_as(None), group
    if kind == "blocked":
        from tests.messages.conftest import block

        bob = User.objects.get(username="bob")
        block(ana, bob)
        return api_as(bob), direct
    cleo = User.objects.get(username="cleo")
    if kind == "removed":
        Member.objects.filter(conversation=group, account=cleo).update(state="removed")
    else:
        Member.objects.filter(conversation=group, account=cleo).update(state="left")
    return api_as(cleo), group


CALLS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("get", "conversations/{c}", None),
    ("patch", "conversations/{c}", {"muted": True}),
    ("delete", "conversations/{c}", None),
    ("get", "conversations/{c}/messages", None),
    ("post", "conversations/{c}/messages", {"text": "let me in"}),
    ("post", "conversations/{c}/read", {"message_id": "{m}"}),
    ("post", "conversations/{c}/typing", None),
    ("post", "conversations/{c}/members", {"usernames": ["stranger2"]}),
    ("put", "conversations/{c}/members/ana", {"admin": False}),
    ("delete", "conversations/{c}/members/ana", None),
    ("post", "conversations/{c}/leave", None),
    ("patch", "messages/{m}", {"text": "changed"}),
    ("delete", "messages/{m}", None),
    ("post", "messages/{m}/reactions", {"emoji": "😂"}),
    ("delete", "messages/{m}/reactions", None),
]


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsiders_get_the_answer_of_a_missing_conversation_and_change_nothing(
    kind: str, ana: User, bob: User, cleo: User, make_user
) -> None:
    friends(ana, bob, cleo)
    make_user("stranger2")
    group = start(ana, bob, cleo, name="Plans")
    direct = start(ana, bob)
    in_group = send(ana, group, "group secret")
    in_direct = send(ana, direct, "direct secret")
    client, conversation = outsider(kind, group, direct, make_user)
    message = in_group if conversation.pk == group.pk else in_direct
    missing = api_as(ana)
    before = snapshot()
    for method, path, body in CALLS:
        url = path.format(c=conversation.pk, m=message.pk)
        if isinstance(body, dict):
            body = {
                k: (v.format(m=message.pk) if isinstance(v, str) else v) for k, v in body.items()
            }
        answer = client.request(method.upper(), url, body)
        if kind == "anonymous":
            assert answer.status_code == 401, (method, url)
            continue
        assert answer.status_code == 404, (kind, method, url, answer.content)
        # The very answer of a conversation or message that does not exist.
        gone = url.replace(str(conversation.pk), "1").replace(str(message.pk), "2")
        nothing = missing.request(method.upper(), gone, body)
        assert answer.json() == nothing.json(), (method, url)
        assert answer.json()["error"]["code"] == "not_found"
    assert snapshot() == before
    listed = client.get("conversations")
    if kind != "anonymous":
        assert str(conversation.pk) not in listed.content.decode()
        assert "secret" not in listed.content.decode()
    assert Message.objects.count() == 2


def test_a_closed_account_and_its_one_to_ones_are_out_of_sight_until_it_returns(
    pair: Conversation, ana: User, bob: User
) -> None:
    send(bob, pair, "see you")
    bobs = api_as(bob)
    bob.is_active = False
    bob.save()
    client = api_as(ana)
    assert client.get(f"conversations/{pair.pk}").status_code == 404
    assert client.get("conversations").json()["items"] == []
    assert bobs.get("conversations").status_code == 401
    bob.is_active = True
    bob.save()
    assert client.get(f"conversations/{pair.pk}/messages").json()["items"][0]["text"] == "see you"
