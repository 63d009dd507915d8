"""The demo's direct messages: ana.lima's inbox as `manage.py seed_demo` leaves it, once."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.demo.messages import GROUP_NAME
from glimpse.messages.models import Conversation, Member, Message, MessageReaction
from tests.conftest import ApiClient


def as_ana() -> ApiClient:
    _, secret = token_create(user=User.objects.get(username="ana.lima"), name="demo test")
    return ApiClient(secret)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Conversation, Member, Message, MessageReaction)
    )


@pytest.mark.django_db(transaction=True)  # the demo's media jobs and events run after commit
def test_seed_demo_fills_ana_s_inbox_once() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert f"group “{GROUP_NAME}”" in out.getvalue()
    client = as_ana()
    inbox: list[dict[str, Any]] = client.get("conversations").json()["items"]
    by_title = {item["title"]: item for item in inbox}
    # The latest activity first: the request from sam.moderator waits apart, in Requests.
    assert [item["title"] for item in inbox] == [
        "Chloé Martin",
        GROUP_NAME,
        "Emi Sato",
        "Ben Okafor",
    ]
    assert by_title["Chloé Martin"]["unread_count"] == 1
    assert by_title["Ben Okafor"]["unread_count"] == 0

    group = by_title[GROUP_NAME]
    assert group["kind"] == "group"
    assert sorted(m["account"]["username"] for m in group["members"]) == [
        "ben_okafor",
        "chloe.martin",
        "emi_sato",
    ]
    thread = client.get(f"conversations/{group['id']}/messages").json()["items"]
    shared = next(m for m in thread if m["shared"])
    assert (shared["shared"]["kind"], shared["shared"]["available"]) == ("post", True)
    assert shared["shared"]["post"]["author"]["username"] == "ben_okafor"
    assert [r["emoji"] for r in shared["reactions"]] == ["🔥"]
    reply = next(m for m in thread if m["reply_to"])
    assert reply["reply_to"]["id"] == shared["id"]

    emi = by_title["Emi Sato"]
    answers = client.get(f"conversations/{emi['id']}/messages").json()["items"]
    story_reply = next(m for m in answers if m["kind"] == "story_reply")
    assert story_reply["sender"]["username"] == "emi_sato"
    assert (story_reply["shared"]["kind"], story_reply["shared"]["available"]) == ("story", True)

    [request] = client.get("conversations/requests").json()["items"]
    assert request["members"][0]["account"]["username"] == "sam.moderator"
    assert request["viewer"]["accepted"] is False
    assert client.get("conversations/unread").json() == {"count": 2, "requests": 1}

    made = counts()
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "messages: already there" in again.getvalue()
    assert counts() == made
