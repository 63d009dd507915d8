"""The web pages of direct messages: the inbox, requests, a conversation, its details, a new
message, "Send to…" and the messaging settings, as members, strangers and visitors see them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.graph.models import Block
from glimpse.messages import services
from glimpse.messages.models import Conversation, Member, Message, MessageReaction
from glimpse.posts import services as posts
from tests.posts.conftest import media_for

__all__ = ["media_for"]

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def state() -> list[tuple[Any, ...]]:
    """Return every conversation, member, message and reaction, to assert nothing changed."""
    return [
        *Conversation.objects.order_by("pk").values_list("pk", "name", "activity_id"),
        *Member.objects.order_by("pk").values_list(
            "pk", "state", "role", "accepted", "muted", "last_read_id", "hidden_until_id"
        ),
        *Message.objects.order_by("pk").values_list("pk", "text", "edited_at"),
        *MessageReaction.objects.order_by("pk").values_list("pk", "emoji"),
        *Block.objects.order_by("pk").values_list("blocker_id", "blocked_id"),
    ]


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana", display_name="Ana Lima")


@pytest.fixture
def bo(make_user: Callable[..., User]) -> User:
    return make_user("bo", display_name="Bo Berg")


@pytest.fixture
def cy(make_user: Callable[..., User]) -> User:
    return make_user("cy")


def chat(sender: User, *others: User, name: str = "") -> Conversation:
    """Start a conversation as ``sender``, where the others follow the sender (no request)."""
    for other in others:
        graph.follow_create(follower=other, followee=sender)
    conversation, _ = services.conversation_start(
        actor=sender, usernames=[other.username for other in others], name=name
    )
    return conversation


def say(sender: User, conversation: Conversation, text: str, **extra: Any) -> Message:
    return services.message_send(actor=sender, conversation_id=conversation.pk, text=text, **extra)


def test_the_inbox_lists_conversations_latest_first_with_unread_and_requests(
    ana: User, bo: User, cy: User, make_user: Callable[..., User]
) -> None:
    with_bo = chat(bo, ana)
    say(bo, with_bo, "Coffee tomorrow?")
    group = chat(ana, bo, cy, name="Climbers")
    say(ana, group, "Saturday at 9")
    stranger = make_user("dee")
    request, _ = services.conversation_start(actor=stranger, usernames=["ana"])
    say(stranger, request, "Hi! I loved your photos")

    page = logged_in(ana).get(reverse("messages:inbox"))
    assert page.status_code == 200
    html = page.content.decode()
    # Newest activity first; the request is not in the inbox but counted.
    assert html.index("Climbers") < html.index("Bo Berg")
    assert "You: Saturday at 9" in html
    assert "Coffee tomorrow?" in html
    assert "I loved your photos" not in html
    assert 'class="dm-requests__count">1<' in html
    assert f'data-thread-row="{with_bo.pk}"' in html
    assert "dm-row is-unread" in html  # bo's message is unread
    assert "<span data-messages-count>1</span>" in html  # the navigation's badge

    requests = logged_in(ana).get(reverse("messages:requests")).content.decode()
    assert "I loved your photos" in requests
    assert reverse("messages:accept", args=[request.pk]) in requests
    assert reverse("messages:block", args=[request.pk]) in requests


def test_the_conversation_page_draws_its_messages_on_the_server(
    ana: User, bo: User, media_for: Callable[..., list]
) -> None:
    conversation = chat(bo, ana)
    [photo] = media_for(bo, 1)
    post = posts.post_create(author=bo, media_ids=[photo.pk], caption="Harbour at dawn")
    first = say(bo, conversation, "Look at this https://example.org/tide, @ana")
    say(bo, conversation, "", shared_post_id=post.pk)
    answer = say(ana, conversation, "Lovely <b>light</b>", reply_to_id=first.pk)
    services.message_react(actor=bo, message_id=answer.pk, emoji="❤️")
    services.message_edit(actor=ana, message_id=answer.pk, text="Lovely <b>light</b>!")
    services.conversation_read(actor=bo, conversation_id=conversation.pk, message_id=answer.pk)

    page = logged_in(ana).get(reverse("messages:conversation", args=[conversation.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 class="thread__title" id="thread-title">Bo Berg</h1>' in html
    assert (
        '<a href="https://example.org/tide" rel="nofollow noopener noreferrer" '
        'target="_blank">https://example.org/tide</a>' in html
    )
    assert '<a class="mention" href="/ana/">@ana</a>' in html
    assert "Lovely &lt;b&gt;light&lt;/b&gt;!" in html  # escaped
    assert f'href="/p/{post.pk}/"' in html
    assert "Harbour at dawn" in html
    assert "You replied to Bo Berg" in html
    assert 'data-reaction="❤️"' in html
    assert "· Edited" in html
    assert "Seen</p>" in html
    assert f'id="m-{answer.pk}"' in html
    # A message's Report option leads to the moderation's form for it (the script fills its id).
    assert f'data-report-url="{reverse("moderation:report", args=["message", 0])}"' in html
    assert f'action="{reverse("messages:send", args=[conversation.pk])}"' in html
    assert "<script>" not in html  # scripts are files (the content security policy)


def test_a_shared_post_the_member_may_not_see_is_unavailable(
    ana: User, bo: User, cy: User, media_for: Callable[..., list]
) -> None:
    cy.is_private = True
    cy.save()
    graph.follow_create(follower=bo, followee=cy)  # pending: a private account
    [photo] = media_for(cy, 1)
    post = posts.post_create(author=cy, media_ids=[photo.pk], caption="Only for friends")
    conversation = chat(ana, bo)
    # Ana follows cy (approved), so she may share it; bo may not see it.
    graph.follow_create(follower=ana, followee=cy)
    graph.follow_request_approve(
        owner=cy, request_id=cy.follow_requests_received.get(requester=ana).pk
    )
    say(ana, conversation, "", shared_post_id=post.pk)

    seen_by_bo = logged_in(bo).get(reverse("messages:conversation", args=[conversation.pk]))
    html = seen_by_bo.content.decode()
    assert "Post unavailable" in html
    assert "Only for friends" not in html
    assert f"/p/{post.pk}/" not in html
    seen_by_ana = logged_in(ana).get(reverse("messages:conversation", args=[conversation.pk]))
    assert "Only for friends" in seen_by_ana.content.decode()


def test_the_inbox_page_costs_the_same_queries_for_3_and_20_conversations(
    ana: User, make_user: Callable[..., User]
) -> None:
    def grow_to(count: int) -> None:
        while Conversation.objects.count() < count:
            friend = make_user()
            started = chat(friend, ana)
            say(friend, started, f"Hello from {friend.username}")

    client = logged_in(ana)
    grow_to(3)
    client.get(reverse("messages:inbox"))  # warm the cached cards
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("messages:inbox")).status_code == 200
    grow_to(20)
    client.get(reverse("messages:inbox"))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("messages:inbox"))
    assert page.content.decode().count("data-thread-row=") == 20
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.parametrize(
    "name", ["conversation", "older", "details", "message"], ids=lambda name: name
)
def test_a_stranger_a_blocked_account_and_a_visitor_see_nothing(
    ana: User, bo: User, cy: User, name: str
) -> None:
    conversation = chat(bo, ana)
    said = say(bo, conversation, "Only for ana")
    args: list[Any] = [conversation.pk]
    if name == "message":
        args.append(said.pk)
    url = reverse(f"messages:{name}", args=args)
    if name == "older":
        url += f"?max_id={said.pk + 1}"
    assert logged_in(ana).get(url).status_code == 200

    stranger = logged_in(cy).get(url)
    assert stranger.status_code == 404
    assert "Only for ana" not in stranger.content.decode()
    visitor = Client().get(url)
    assert visitor.status_code == 302
    assert visitor["Location"].startswith(reverse("accounts:login"))
    graph.block_create(blocker=ana, blocked=bo)
    assert logged_in(bo).get(url).status_code == 404
    assert logged_in(ana).get(url).status_code == 404


def test_writes_from_outside_the_conversation_change_nothing(ana: User, bo: User, cy: User) -> None:
    group = chat(ana, bo, name="Friends")
    said = say(ana, group, "Hello friends")
    posts_to = {
        "send": {"text": "intruder"},
        "accept": {},
        "delete": {},
        "block": {},
        "rename": {"name": "Hijacked"},
        "mute": {"muted": "1"},
        "leave": {},
        "members_add": {"usernames": "cy"},
    }
    before = state()
    for client in (logged_in(cy), Client()):
        for name, data in posts_to.items():
            answer = client.post(reverse(f"messages:{name}", args=[group.pk]), data)
            assert answer.status_code in (302, 404), (name, answer.status_code)
            if answer.status_code == 302:
                assert answer["Location"].startswith(reverse("accounts:login")), name
        for name in ("member_remove", "member_admin"):
            answer = client.post(reverse(f"messages:{name}", args=[group.pk, "bo"]), {"admin": "1"})
            assert answer.status_code in (302, 404), name
    assert state() == before
    assert Message.objects.get().pk == said.pk


def test_a_request_is_accepted_deleted_or_its_sender_blocked(
    ana: User, make_user: Callable[..., User]
) -> None:
    def request_from(name: str) -> Conversation:
        sender = make_user(name)
        started, _ = services.conversation_start(actor=sender, usernames=["ana"])
        say(sender, started, f"Hi, I am {name}")
        return started

    first, second, third = request_from("dee"), request_from("eve"), request_from("fay")
    client = logged_in(ana)
    page = client.get(reverse("messages:conversation", args=[first.pk])).content.decode()
    assert "wants to send you a message" in page
    assert 'name="text"' not in page  # no composer before accepting

    answer = client.post(reverse("messages:accept", args=[first.pk]))
    assert answer["Location"] == reverse("messages:conversation", args=[first.pk])
    assert Member.objects.get(conversation=first, account=ana).accepted
    page = client.get(reverse("messages:conversation", args=[first.pk])).content.decode()
    assert 'name="text"' in page

    answer = client.post(reverse("messages:delete", args=[second.pk]))
    assert answer["Location"] == reverse("messages:requests")
    requests = client.get(reverse("messages:requests")).content.decode()
    assert "Hi, I am eve" not in requests
    assert "Hi, I am fay" in requests

    answer = client.post(reverse("messages:block", args=[third.pk]))
    assert answer["Location"] == reverse("messages:requests")
    fay = User.objects.get(username="fay")
    assert Block.objects.filter(blocker=ana, blocked=fay).exists()
    assert client.get(reverse("messages:conversation", args=[third.pk])).status_code == 404
    assert "Hi, I am fay" not in client.get(reverse("messages:requests")).content.decode()


def test_the_plain_composer_sends_and_says_what_it_refused(ana: User, bo: User) -> None:
    conversation = chat(bo, ana)
    client = logged_in(ana)
    url = reverse("messages:send", args=[conversation.pk])
    answer = client.post(url, {"text": "Sent without script"})
    sent = Message.objects.get(text="Sent without script")
    assert answer["Location"].endswith(f"#m-{sent.pk}")
    before = state()
    refused = client.post(url, {"text": "x" * 1001}, follow=True)
    assert "A message has at most 1000 characters. Nothing was sent." in refused.content.decode()
    assert state() == before


def test_with_an_account_opens_the_conversation_or_starts_one(
    ana: User, bo: User, cy: User
) -> None:
    conversation = chat(bo, ana)
    client = logged_in(ana)
    opened = client.get(reverse("messages:with", args=["bo"]))
    assert opened["Location"] == reverse("messages:conversation", args=[conversation.pk])

    draft = client.get(reverse("messages:with", args=["cy"]))
    assert draft.status_code == 200
    assert "Your first message starts the conversation." in draft.content.decode()
    assert Conversation.objects.count() == 1  # opening it starts nothing

    refused = client.post(reverse("messages:with", args=["cy"]), {"text": ""})
    assert refused.status_code == 422
    assert Conversation.objects.count() == 1
    answer = client.post(reverse("messages:with", args=["cy"]), {"text": "Hello cy"})
    started = Conversation.objects.exclude(pk=conversation.pk).get()
    assert answer["Location"] == reverse("messages:conversation", args=[started.pk])
    assert Message.objects.filter(conversation=started, text="Hello cy").exists()

    graph.block_create(blocker=cy, blocked=ana)
    assert client.get(reverse("messages:with", args=["cy"])).status_code == 404
    assert client.get(reverse("messages:with", args=["ana"])).status_code == 404  # oneself


def test_a_new_message_to_one_or_several_people(ana: User, bo: User, cy: User) -> None:
    client = logged_in(ana)
    found = client.get(reverse("messages:new") + "?q=b").content.decode()
    assert 'name="usernames" value="bo"' in found
    assert 'value="ana"' not in found

    one = client.post(reverse("messages:new"), {"usernames": ["bo"]})
    direct = Conversation.objects.get(kind="direct")
    assert one["Location"] == reverse("messages:conversation", args=[direct.pk])
    again = client.post(reverse("messages:new"), {"usernames": ["bo"]})
    assert again["Location"] == one["Location"]  # the existing one-to-one

    group = client.post(reverse("messages:new"), {"usernames": ["bo", "cy"], "name": "Trio"})
    trio = Conversation.objects.get(kind="group")
    assert group["Location"] == reverse("messages:conversation", args=[trio.pk])
    assert trio.name == "Trio"

    refused = client.post(reverse("messages:new"), {"usernames": ["nobody_here"]})
    assert refused.status_code == 422
    assert "No account named nobody_here." in refused.content.decode()


def test_send_to_shares_a_post_with_conversations_and_accounts(
    ana: User, bo: User, cy: User, media_for: Callable[..., list]
) -> None:
    conversation = chat(bo, ana)
    [photo] = media_for(cy, 1)
    post = posts.post_create(author=cy, media_ids=[photo.pk], caption="Sunset")
    client = logged_in(ana)
    sheet = client.get(reverse("messages:send_to") + f"?post={post.pk}&sheet=1").content.decode()
    assert "Send post" in sheet
    assert f'name="to" value="{conversation.pk}"' in sheet
    assert "<html" not in sheet  # the sheet alone

    answer = client.post(
        reverse("messages:send_to"),
        {"post": post.pk, "to": [conversation.pk], "usernames": ["cy"], "text": "Look!"},
    )
    assert answer["Location"] == reverse("posts:detail", args=[post.pk])
    shared = Message.objects.filter(shared_post=post, text="Look!")
    assert shared.count() == 2
    assert {m.conversation.kind for m in shared} == {"direct"}

    before = state()
    refused = client.post(
        reverse("messages:send_to"), {"profile": "nobody_here", "to": [conversation.pk]}
    )
    assert refused.status_code == 302
    assert state() == before


def test_details_rename_mute_members_and_leave(ana: User, bo: User, cy: User) -> None:
    group = chat(ana, bo, name="Friends")
    client = logged_in(ana)
    page = client.get(reverse("messages:details", args=[group.pk])).content.decode()
    assert "Members" in page
    assert "Add people" in page

    client.post(reverse("messages:rename", args=[group.pk]), {"name": "Best friends"})
    group.refresh_from_db()
    assert group.name == "Best friends"
    client.post(reverse("messages:mute", args=[group.pk]), {"muted": "1"})
    assert Member.objects.get(conversation=group, account=ana).muted
    graph.follow_create(follower=cy, followee=ana)
    client.post(reverse("messages:members_add", args=[group.pk]), {"usernames": "cy"})
    assert Member.objects.filter(conversation=group, account=cy, state="active").exists()

    # A plain member may not manage members: the refusal is shown, nothing changes.
    before = state()
    refused = logged_in(cy).post(
        reverse("messages:member_admin", args=[group.pk, "ana"]), {"admin": "0"}, follow=True
    )
    assert "Only the group&#x27;s admins can do this. Nothing was changed." in (
        refused.content.decode()
    )
    assert state() == before

    client.post(reverse("messages:member_admin", args=[group.pk, "cy"]), {"admin": "1"})
    assert Member.objects.get(conversation=group, account=cy).role == "admin"
    client.post(reverse("messages:member_remove", args=[group.pk, "bo"]))
    assert Member.objects.get(conversation=group, account=bo).state == "removed"

    # bo is no longer in it: his pages answer 404 and his forms change nothing.
    before = state()
    assert logged_in(bo).get(reverse("messages:details", args=[group.pk])).status_code == 404
    logged_in(bo).post(reverse("messages:rename", args=[group.pk]), {"name": "Mine"})
    assert state() == before

    answer = client.post(reverse("messages:leave", args=[group.pk]))
    assert answer["Location"] == reverse("messages:inbox")
    assert Member.objects.get(conversation=group, account=ana).state == "left"
    assert client.get(reverse("messages:conversation", args=[group.pk])).status_code == 404


def test_the_messaging_settings_page_saves_and_refuses_bad_input(ana: User) -> None:
    client = logged_in(ana)
    page = client.get(reverse("messages:settings")).content.decode()
    assert re.search(r'value="everyone"[^>]*checked', page)
    answer = client.post(
        reverse("messages:settings"), {"allow_from": "following", "read_receipts": ""}
    )
    assert answer.status_code == 302
    from glimpse.messages.models import MessagingSettings

    saved = MessagingSettings.objects.get(account=ana)
    assert (saved.allow_from, saved.read_receipts) == ("following", False)
    refused = client.post(reverse("messages:settings"), {"allow_from": "martians"})
    assert refused.status_code == 422
    saved.refresh_from_db()
    assert saved.allow_from == "following"


def test_a_story_reply_notification_leads_to_the_conversation(
    ana: User, bo: User, media_for: Callable[..., list], django_capture_on_commit_callbacks: Any
) -> None:
    from glimpse.stories import services as stories

    [photo] = media_for(ana, 1)
    story = stories.story_create(author=ana, media_id=photo.pk)
    with django_capture_on_commit_callbacks(execute=True):
        stories.story_reply(viewer=bo, story_id=story.pk, text="Great shot")
    page = logged_in(ana).get(reverse("notifications:list")).content.decode()
    assert f'href="{reverse("messages:with", args=["bo"])}"' in page
    opened = logged_in(ana).get(reverse("messages:with", args=["bo"]))
    conversation = Message.objects.get(text="Great shot").conversation
    assert opened["Location"] == reverse("messages:conversation", args=[conversation.pk])
    html = logged_in(ana).get(opened["Location"]).content.decode()
    assert "Replied to your story" in html
    assert "share-card--story" in html
