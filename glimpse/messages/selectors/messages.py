"""Reads of messages, always as one member sees them: one, a page, a new message for all its
members, and a reported message's neighbours for moderators.

Messages come through ``messages_visible_to`` (``messages.visibility``); what a message shares
is asked of its own content's entry for the viewer. A page costs a constant number of queries
whatever its length.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.core.pagination import clamp_limit
from glimpse.graph.visibility import accounts_visible_to
from glimpse.messages.models import (
    Member,
    Message,
    MessageMedia,
    MessageReaction,
)
from glimpse.messages.selectors.conversations import conversation_get
from glimpse.messages.visibility import (
    message_readers,
    messages_visible_to,
)
from glimpse.posts.models import Post
from glimpse.posts.selectors import posts_hydrate
from glimpse.stories.models import Story
from glimpse.stories.selectors import stories_hydrate

MISSING_MESSAGE = "No message with this id."


@dataclass(frozen=True)
class MessagePage:
    """One page of a conversation's messages, newest first, hydrated for the viewer."""

    messages: Sequence[Message]
    next_max_id: int | None


def message_get(*, viewer: User, message_id: int) -> Message:
    """Return a message the viewer may read."""
    return _readable(viewer, message_id)[0]


def messages_page(
    *, viewer: User, conversation_id: int, max_id: int | None = None, limit: int | None = None
) -> MessagePage:
    """Return a page of a conversation's messages the viewer may read, newest first."""
    _, member = conversation_get(viewer=viewer, conversation_id=conversation_id)
    size = clamp_limit(limit)
    rows = Message.objects.filter(
        messages_visible_to(viewer, since=member.visible_after_id), conversation_id=conversation_id
    )
    if max_id is not None:
        rows = rows.filter(pk__lt=max_id)
    found = list(rows.order_by("-pk")[: size + 1])
    more = len(found) > size
    found = found[:size]
    messages_hydrate(viewer=viewer, member=member, messages=found)
    return MessagePage(messages=found, next_max_id=found[-1].pk if more else None)


def message_for(*, viewer: User, message_id: int) -> Message:
    """Return one message the viewer may read, hydrated for it."""
    message, member = _readable(viewer, message_id)
    messages_hydrate(viewer=viewer, member=member, messages=[message])
    return message


def message_for_members(*, message_id: int) -> dict[int, Message]:
    """Return a message hydrated for each member that may read it, by account id (delivery):
    who may read it is decided for all at once, and a message that quotes and shares nothing
    and has no reactions reads the same for each, so it is hydrated once."""
    message = Message.objects.filter(pk=message_id).select_related("conversation").first()
    if message is None:
        return {}
    rows = list(
        Member.objects.filter(conversation_id=message.conversation_id).select_related("account")
    )
    sender = next((row.account for row in rows if row.account_id == message.sender_id), None)
    sender = sender or User.objects.filter(pk=message.sender_id).first()
    readers = message_readers(message, rows, sender) if sender is not None else []
    if not readers:
        return {}
    same_for_all = not (message.reply_to_id or message.shared_kind) and not (
        MessageReaction.objects.filter(message_id=message_id).exists()
    )
    if same_for_all:
        messages_hydrate(viewer=readers[0].account, member=readers[0], messages=[message])
        return {reader.account_id: message for reader in readers}
    seen = {}
    for reader in readers:
        own = copy.copy(message)
        messages_hydrate(viewer=reader.account, member=reader, messages=[own])
        seen[reader.account_id] = own
    return seen


def messages_hydrate(*, viewer: User, member: Member, messages: Sequence[Message]) -> None:
    """Load what the viewer sees of these messages of one conversation, one query per relation:
    media, reactions, the message each replies to (when the viewer may read it), and what each
    shares (when the viewer may see it: else it shows as unavailable)."""
    if not messages:
        return
    ids = [message.pk for message in messages]
    media: dict[int, list[MessageMedia]] = {}
    for row in (
        MessageMedia.objects.filter(message_id__in=ids).select_related("media").order_by("position")
    ):
        media.setdefault(row.message_id, []).append(row)
    reactions: dict[int, list[tuple[int, str]]] = {}
    for message_id, account_id, emoji in (
        MessageReaction.objects.filter(message_id__in=ids)
        .filter(accounts_visible_to(viewer, account="account") | Q(account_id=viewer.pk))
        .order_by("pk")
        .values_list("message_id", "account_id", "emoji")
    ):
        reactions.setdefault(message_id, []).append((account_id, emoji))
    replied = _replied(viewer, member, [m.reply_to_id for m in messages if m.reply_to_id])
    posts = _shared_posts(viewer, [m.shared_post_id for m in messages if m.shared_post_id])
    stories = _shared_stories(viewer, [m.shared_story_id for m in messages if m.shared_story_id])
    accounts = _shared_accounts(
        viewer, [m.shared_account_id for m in messages if m.shared_account_id]
    )
    for message in messages:
        message.media_rows = media.get(message.pk, [])
        message.reaction_rows = reactions.get(message.pk, [])
        message.replied = replied.get(message.reply_to_id or 0)
        message.visible_post = posts.get(message.shared_post_id or 0)
        message.visible_story = stories.get(message.shared_story_id or 0)
        message.visible_account_id = (
            message.shared_account_id if message.shared_account_id in accounts else None
        )


def message_context(*, message_id: int, around: int = 5) -> list[Message]:
    """Return a reported message with its neighbours in its conversation, oldest first (for
    moderators only: no viewer rule applies)."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise NotFound(MISSING_MESSAGE)
    if around < 0 or around > 20:
        raise InvalidInput(fields={"around": ["Between 0 and 20."]})
    rows = Message.objects.filter(conversation_id=message.conversation_id).select_related("sender")
    before = list(rows.filter(pk__lt=message.pk).order_by("-pk")[:around])
    after = list(rows.filter(pk__gt=message.pk).order_by("pk")[:around])
    return [*reversed(before), message, *after]


def _readable(viewer: User, message_id: int) -> tuple[Message, Member]:
    """Return a message the viewer may read, and the viewer's row in its conversation."""
    message = Message.objects.filter(pk=message_id).select_related("conversation").first()
    if message is None:
        raise NotFound(MISSING_MESSAGE)
    try:
        _, member = conversation_get(viewer=viewer, conversation_id=message.conversation_id)
    except NotFound:
        raise NotFound(MISSING_MESSAGE) from None
    if message.sender_id == viewer.pk:  # ``messages_visible_to`` for one's own: no query needed
        readable = message.pk > member.visible_after_id
    else:
        readable = Message.objects.filter(
            messages_visible_to(viewer, since=member.visible_after_id), pk=message_id
        ).exists()
    if not readable:
        raise NotFound(MISSING_MESSAGE)
    return message, member


def _replied(viewer: User, member: Member, ids: list[int]) -> dict[int, Message]:
    """Return the messages replied to that the viewer may read, by id."""
    if not ids:
        return {}
    rows = Message.objects.filter(
        messages_visible_to(viewer, since=member.visible_after_id),
        conversation_id=member.conversation_id,
        pk__in=ids,
    )
    return {message.pk: message for message in rows}


def _shared_posts(viewer: User, ids: list[int]) -> dict[int, Post]:
    """Return the shared posts the viewer may see, hydrated, by id."""
    if not ids:
        return {}
    posts = posts_hydrate(viewer=viewer, posts=Post.objects.visible_to(viewer).filter(pk__in=ids))
    return {post.pk: post for post in posts}


def _shared_stories(viewer: User, ids: list[int]) -> dict[int, Story]:
    """Return the shared stories still live that the viewer may see, hydrated, by id."""
    if not ids:
        return {}
    stories = stories_hydrate(
        viewer=viewer, stories=Story.objects.live_to(viewer).filter(pk__in=ids)
    )
    return {story.pk: story for story in stories}


def _shared_accounts(viewer: User, ids: list[int]) -> set[int]:
    """Return which shared profiles the viewer may see."""
    if not ids:
        return set()
    return set(
        User.objects.filter(accounts_visible_to(viewer), pk__in=ids).values_list("pk", flat=True)
    )
