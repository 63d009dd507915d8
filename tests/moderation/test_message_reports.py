"""Reporting a direct message: who may, what the moderators see of its conversation (the
message and its neighbours, nothing else), and removing it."""

from __future__ import annotations

from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.media.models import MediaBlock, MediaItem
from glimpse.messages import services as messages
from glimpse.messages.models import Conversation, Member, Message
from glimpse.moderation import services
from glimpse.moderation.models import Case, ModerationAction, Report
from glimpse.notifications import selectors as notes
from glimpse.privacy.erase import account_erase
from tests.messages.conftest import friends, send, start
from tests.messages.conftest import snapshot as messages_snapshot
from tests.moderation.conftest import api_as, snapshot, web_as

pytestmark = pytest.mark.django_db

MISSING = {"error": {"code": "not_found", "message": "No message with this id.", "fields": {}}}


def talk(starter: User, *others: User, name: str = "") -> Conversation:
    """Start a conversation among accounts that all follow each other (no Requests)."""
    friends(starter, *others)
    return start(starter, *others, name=name)


def state() -> dict[str, Any]:
    """Return the moderation rows and every messages row, which a refusal keeps."""
    return {**snapshot(), **messages_snapshot()}


def report_body(reason: str = "harassment") -> dict[str, str]:
    return {"reason": reason, "note": "It keeps going"}


def test_a_member_reports_a_message_it_can_read(make_user) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    conversation = talk(ana, ben)
    message = send(ben, conversation, "you will regret this")
    answer = api_as(ana).post(f"messages/{message.pk}/report", report_body())
    assert answer.status_code == 201, answer.content
    assert answer.json() == {
        "id": answer.json()["id"],
        "target_type": "message",
        "target_id": str(message.pk),
        "reason": "harassment",
        "note": "It keeps going",
    }
    case = Case.objects.get(target_type="message", target_id=message.pk)
    assert (case.account, case.excerpt, case.report_count, case.state) == (
        ben,
        "you will regret this",
        1,
        "open",
    )
    before = state()
    again = api_as(ana).post(
        "reports", {"target_type": "message", "target_id": str(message.pk), "reason": "spam"}
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_reported"
    assert state() == before


def test_the_reports_endpoint_takes_a_message_too(make_user) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    message = send(ben, talk(ana, ben), "buy followers here")
    answer = api_as(ana).post(
        "reports", {"target_type": "message", "target_id": str(message.pk), "reason": "spam"}
    )
    assert answer.status_code == 201, answer.content
    assert Report.objects.get().target_type == "message"


def test_a_message_in_requests_can_be_reported(make_user) -> None:
    ana, stranger = make_user("ana"), make_user("stranger")
    conversation, _ = messages.conversation_start(actor=stranger, usernames=["ana"])
    assert not Member.objects.get(conversation=conversation, account=ana).accepted
    message = send(stranger, conversation, "cheap watches")
    answer = api_as(ana).post(f"messages/{message.pk}/report", report_body("spam"))
    assert answer.status_code == 201, answer.content
    assert Member.objects.get(conversation=conversation, account=ana).accepted is False


RELATIONS = [
    "missing",
    "stranger",
    "blocked_by_sender",
    "blocking_sender",
    "blocked_in_a_group",
    "left",
    "removed",
    "joined_after",
    "deleted_for_me",
    "sender_erased",
]


@pytest.mark.parametrize("relation", RELATIONS)
def test_who_may_not_read_a_message_cannot_report_it_and_nothing_changes(
    make_user, relation: str
) -> None:
    admin, sender, reporter = make_user("owner"), make_user("sender"), make_user("reporter")
    if relation in ("blocked_in_a_group", "left", "removed", "joined_after", "deleted_for_me"):
        conversation = talk(admin, sender, reporter, name="Group")
    else:
        conversation = talk(reporter, sender)
    if relation == "joined_after":
        messages.member_remove(actor=admin, conversation_id=conversation.pk, username="reporter")
    message = send(sender, conversation, "the message")
    target_id = message.pk
    if relation == "missing":
        target_id = message.pk + 1
    elif relation == "stranger":
        reporter = make_user("stranger")
    elif relation == "blocked_by_sender":
        graph.block_create(blocker=sender, blocked=reporter)
    elif relation in ("blocking_sender", "blocked_in_a_group"):
        graph.block_create(blocker=reporter, blocked=sender)
    elif relation == "left":
        messages.conversation_leave(actor=reporter, conversation_id=conversation.pk)
    elif relation == "removed":
        messages.member_remove(actor=admin, conversation_id=conversation.pk, username="reporter")
    elif relation == "joined_after":
        messages.members_add(actor=admin, conversation_id=conversation.pk, usernames=["reporter"])
    elif relation == "deleted_for_me":
        messages.conversation_delete_for_me(actor=reporter, conversation_id=conversation.pk)
    elif relation == "sender_erased":
        account_erase(user=sender)
    before = state()
    client = api_as(reporter)
    own_route = client.post(f"messages/{target_id}/report", report_body())
    assert (own_route.status_code, own_route.json()) == (404, MISSING)
    shared_route = client.post(
        "reports", {"target_type": "message", "target_id": str(target_id), "reason": "spam"}
    )
    assert (shared_route.status_code, shared_route.json()) == (404, MISSING)
    assert web_as(reporter).get(f"/report/message/{target_id}/?next=/").status_code == 404
    assert state() == before


def test_own_messages_bad_input_and_anonymous_callers_are_refused(make_user) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    message = send(ben, talk(ana, ben), "hello")
    before = state()
    own = api_as(ben).post(f"messages/{message.pk}/report", report_body())
    assert (own.status_code, own.json()["error"]["code"]) == (403, "own")
    bad = api_as(ana).post(f"messages/{message.pk}/report", {"reason": "boring"})
    assert bad.status_code == 422
    long = api_as(ana).post(f"messages/{message.pk}/report", {"reason": "spam", "note": "x" * 1001})
    assert long.status_code == 422
    anonymous = api_as(None).post(f"messages/{message.pk}/report", report_body())
    assert anonymous.status_code == 401
    assert state() == before


def test_the_web_form_reports_a_message(make_user) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    message = send(ben, talk(ana, ben), "go away")
    client = web_as(ana)
    form = client.get(f"/report/message/{message.pk}/?next=/")
    assert form.status_code == 200
    assert b"Report this message" in form.content
    assert b"go away" in form.content
    sent = client.post(f"/report/message/{message.pk}/", {"reason": "harassment", "next": "/"})
    assert sent.status_code == 302
    assert Report.objects.get().target_id == message.pk


def test_reports_never_hide_a_message(settings, make_user) -> None:
    settings.GLIMPSE_MODERATION_HIDE_REPORTS = 2
    settings.GLIMPSE_REPORT_MIN_ACCOUNT_AGE_DAYS = 0
    sender, first, second, third = (make_user(name) for name in ("sender", "a", "b", "c"))
    conversation = talk(sender, first, second, third, name="Group")
    message = send(sender, conversation, "spam spam")
    for reporter in (first, second, third):
        services.report_create(
            reporter=reporter, target_type="message", target_id=message.pk, reason="spam"
        )
    case = Case.objects.get(target_type="message")
    assert (case.state, case.report_count) == ("open", 3)
    listed = api_as(first).get(f"conversations/{conversation.pk}/messages").json()["items"]
    assert [item["id"] for item in listed] == [str(message.pk)]


@pytest.fixture
def long_talk(make_user) -> tuple[Conversation, list[Message], Case, User]:
    """A group with fifteen messages, the eighth one reported by a member."""
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    conversation = talk(ana, ben, cleo, name="Secret plans")
    sent = [send((ana, ben)[i % 2], conversation, f"line number {i:02d}") for i in range(15)]
    services.report_create(
        reporter=cleo, target_type="message", target_id=sent[7].pk, reason="harassment"
    )
    return conversation, sent, Case.objects.get(target_type="message"), ben


def test_a_moderator_sees_the_reported_message_and_only_its_neighbours(
    moderator, long_talk
) -> None:
    _, _, case, sender = long_talk
    queue = web_as(moderator).get("/moderation/")
    assert b"line number 07" in queue.content
    page = web_as(moderator).get(f"/moderation/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    shown = [i for i in range(15) if f"line number {i:02d}" in html]
    assert shown == list(range(2, 13))  # five before, the message, five after
    assert (
        html.index("line number 02") < html.index("line number 07") < html.index("line number 12")
    )
    assert html.count('aria-current="true"') == 1
    assert "Secret plans" not in html  # nothing else of the conversation
    assert "@cleo" in html  # the reporter, in the reports
    assert f"Message by @{sender.username}" in html


def test_no_one_but_a_moderator_sees_a_message_case(make_user, long_talk) -> None:
    conversation, sent, case, _ = long_talk
    stranger = make_user("stranger")
    before = state()
    members = Member.objects.filter(conversation=conversation).select_related("account")
    for account in [stranger, *(member.account for member in members)]:
        client = web_as(account)
        assert client.get(f"/moderation/cases/{case.pk}/").status_code == 404
        acted = client.post(
            f"/moderation/cases/{case.pk}/act/", {"action": "remove", "reason": "x"}
        )
        assert acted.status_code == 404
    assert state() == before
    assert Message.objects.filter(pk=sent[7].pk).exists()


def test_a_moderator_removes_a_message_with_its_photo(
    moderator, make_user, media_for, django_capture_on_commit_callbacks
) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    conversation = talk(ana, ben)
    [photo] = media_for(ben)
    message = send(ben, conversation, "look", media_ids=[photo.pk])
    kept = send(ben, conversation, "and this one stays")
    services.report_create(
        reporter=ana, target_type="message", target_id=message.pk, reason="nudity"
    )
    case = Case.objects.get(target_type="message")
    page = web_as(moderator).get(f"/moderation/cases/{case.pk}/")
    assert b"<img" in page.content
    assert b"Remove the content" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        answer = web_as(moderator).post(
            f"/moderation/cases/{case.pk}/act/", {"action": "remove", "reason": "Nudity"}
        )
    assert answer.status_code == 302
    assert not Message.objects.filter(pk=message.pk).exists()
    assert not MediaItem.objects.filter(pk=photo.pk).exists()
    assert MediaBlock.objects.count() == 1
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.target_type, logged.target_id, logged.account) == (
        "remove",
        "message",
        message.pk,
        ben,
    )
    assert Case.objects.get(pk=case.pk).state == "resolved"
    (notice,) = notes.notifications_page(viewer=ben).items
    assert notice.kind == "content_removed"
    assert "Your message was removed by the moderators: Nudity" in notice.text
    items = api_as(ana).get(f"conversations/{conversation.pk}/messages").json()["items"]
    assert [item["id"] for item in items] == [str(kept.pk)]
    gone = web_as(moderator).get(f"/moderation/cases/{case.pk}/")
    assert b"This message is gone" in gone.content
    assert b"look" in gone.content  # the excerpt kept for the audit


def test_removing_a_message_already_unsent_is_refused(moderator, make_user) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    message = send(ben, talk(ana, ben), "oops")
    services.report_create(reporter=ana, target_type="message", target_id=message.pk, reason="spam")
    messages.message_unsend(actor=ben, message_id=message.pk)
    case = Case.objects.get(target_type="message")
    before = state()
    with pytest.raises(Exception, match="no content left"):
        services.case_act(moderator=moderator, case_id=case.pk, action="remove", reason="Spam")
    assert state() == before
    done = services.case_act(moderator=moderator, case_id=case.pk, action="warn", reason="Spam")
    assert done.account == ben
