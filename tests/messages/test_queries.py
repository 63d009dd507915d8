"""Hot paths of direct messages: the inbox and a page of messages cost the same number of SQL
queries whatever their length, through the API and through the selectors and presenters.

Each is counted twice, with the account cards already cached (a warm page) and with an empty
cache (a cold one: the cards are then read in one query whatever their number).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.messages import selectors, services
from glimpse.messages.models import Message
from glimpse.messages.presenters import conversation_json, message_json, message_views, thread_views
from glimpse.posts.models import Post
from glimpse.stories import services as stories
from tests.conftest import ApiClient
from tests.posts.conftest import follow, media_for, publish

__all__ = ["media_for", "publish"]  # fixtures used here

pytestmark = pytest.mark.django_db


def counted(call: Callable[[], Any]) -> tuple[int, int]:
    """Return the queries of a call with the cards cached, then with an empty cache."""
    call()
    with CaptureQueriesContext(connection) as warm:
        call()
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        call()
    return len(warm), len(cold)


# --- The inbox -------------------------------------------------------------------------------


class Inbox:
    """ana's inbox, filled with conversations of every kind, and how to read it."""

    def __init__(
        self,
        make_user: Callable[..., User],
        media_for: Callable[..., list[Any]],
        publish: Callable[..., Post],
    ) -> None:
        self.make_user, self.media_for = make_user, media_for
        self.ana = make_user("ana")
        self.shared = publish(make_user("pat"))
        self.client = ApiClient(token_create(user=self.ana, name="tests")[1])
        self.made = 0

    def add(self, count: int) -> None:
        """Add conversations, in turn: a one-to-one whose last message is a photo, a named
        group with a photo whose last message shares a post, a one-to-one with text only, and
        a group of three whose last message is ana's."""
        for _ in range(count):
            n = self.made
            self.made += 1
            friend, other = self.make_user(f"friend{n}"), self.make_user(f"other{n}")
            for fan in (friend, other):
                follow(fan, self.ana)
            shape = n % 4
            with_ana = [friend.username] if shape in (0, 2) else [friend.username, other.username]
            name = "Group" if shape == 1 else ""
            chat, _ = services.conversation_start(actor=self.ana, usernames=with_ana, name=name)
            services.message_send(actor=self.ana, conversation_id=chat.pk, text="hello")
            if shape == 1:
                [photo] = self.media_for(self.ana)
                services.conversation_update(
                    actor=self.ana, conversation_id=chat.pk, photo_media_id=photo.pk
                )
            if shape == 0:
                media = self.media_for(friend, 2)
                services.message_send(
                    actor=friend, conversation_id=chat.pk, media_ids=[m.pk for m in media]
                )
            elif shape == 1:
                services.message_send(
                    actor=friend, conversation_id=chat.pk, shared_post_id=self.shared.pk
                )
            elif shape == 2:
                services.message_send(actor=friend, conversation_id=chat.pk, text="how are you?")

    def api(self) -> int:
        """Return how many conversations the API lists."""
        response = self.client.get("conversations?limit=50")
        assert response.status_code == 200, response.json()
        return len(response.json()["items"])

    def selector(self) -> int:
        """Return how many conversations the selector and presenters list."""
        page = selectors.inbox(viewer=self.ana, limit=50)
        return len(
            [conversation_json(v) for v in thread_views(page.threads, viewer_id=self.ana.pk)]
        )


@pytest.mark.parametrize("path", ["api", "selector"])
def test_the_inbox_costs_the_same_queries_for_2_or_25_conversations(
    make_user, media_for, publish, path: str
) -> None:
    inbox = Inbox(make_user, media_for, publish)
    read = getattr(inbox, path)
    inbox.add(2)
    assert read() == 2
    small = counted(read)
    inbox.add(23)
    assert read() == 25
    assert counted(read) == small


# --- A page of messages ----------------------------------------------------------------------


class Thread:
    """A one-to-one of ana and bo with messages of every kind, and how bo reads a page."""

    def __init__(
        self,
        make_user: Callable[..., User],
        media_for: Callable[..., list[Any]],
        publish: Callable[..., Post],
        capture: Callable[..., Any],
    ) -> None:
        self.media_for, self.capture = media_for, capture
        self.ana, self.bo = make_user("ana"), make_user("bo")
        follow(self.bo, self.ana)
        cy = make_user("cy", is_private=True)  # ana follows cy's private account, bo does not
        follow(self.ana, cy)
        self.public_post, self.private_post = publish(self.ana), publish(cy)
        [story_media] = media_for(self.ana)
        self.story = stories.story_create(author=self.ana, media_id=story_media.pk)
        self.chat, _ = services.conversation_start(actor=self.ana, usernames=["bo"])
        self.client = ApiClient(token_create(user=self.bo, name="tests")[1])

    def add(self, count: int) -> None:
        """Add messages, in turn: a photo with text, a story reply, a reply, a shared post,
        one bo may not see, a shared story, text; each gets a reaction from both sides."""
        previous = Message.objects.filter(conversation=self.chat).order_by("-pk").first()
        for n in range(count):
            sender = self.ana if n % 2 else self.bo
            shape = n % 7
            options: dict[str, Any] = {"text": f"message {n}"} if shape in (0, 2, 6) else {}
            if shape == 0:
                options["media_ids"] = [self.media_for(sender)[0].pk]
            elif shape == 2 and previous is not None:
                options["reply_to_id"] = previous.pk
            elif shape == 3:
                options["shared_post_id"] = self.public_post.pk
            elif shape == 4:
                sender, options["shared_post_id"] = self.ana, self.private_post.pk
            elif shape == 5:
                options["shared_story_id"] = self.story.pk
            message = (
                self._story_reply()
                if shape == 1
                else services.message_send(actor=sender, conversation_id=self.chat.pk, **options)
            )
            services.message_react(actor=self.ana, message_id=message.pk, emoji="❤️")
            services.message_react(actor=self.bo, message_id=message.pk, emoji="😂")
            previous = message

    def _story_reply(self) -> Message:
        """Reply to ana's story as bo; return the message it became."""
        with self.capture(execute=True):
            stories.story_reply(viewer=self.bo, story_id=self.story.pk, text="lovely")
        message = Message.objects.filter(conversation=self.chat).order_by("-pk").first()
        assert message is not None
        assert message.kind == Message.Kind.STORY_REPLY
        return message

    def api(self) -> int:
        """Return how many messages the API gives bo."""
        response = self.client.get(f"conversations/{self.chat.pk}/messages?limit=50")
        assert response.status_code == 200, response.json()
        items = response.json()["items"]
        shared = {item["shared"]["available"] for item in items if item["shared"]}
        assert shared == {True, False}  # bo may not see cy's private post
        return len(items)

    def selector(self) -> int:
        """Return how many messages the selector and presenters give bo."""
        page = selectors.messages_page(viewer=self.bo, conversation_id=self.chat.pk, limit=50)
        return len([message_json(v) for v in message_views(page.messages, viewer_id=self.bo.pk)])


@pytest.mark.parametrize("path", ["api", "selector"])
def test_a_page_of_messages_costs_the_same_queries_for_5_or_40_messages(
    make_user, media_for, publish, django_capture_on_commit_callbacks, path: str
) -> None:
    thread = Thread(make_user, media_for, publish, django_capture_on_commit_callbacks)
    read = getattr(thread, path)
    thread.add(5)
    assert read() == 5
    small = counted(read)
    thread.add(35)
    assert read() == 40
    assert counted(read) == small
