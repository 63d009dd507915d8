"""Every read of direct messages, always as one member sees them.

Conversations come through ``Conversation.objects.visible_to`` and messages through
``messages_visible_to`` (``messages.visibility``); what a message shares is asked of its own
content's entry for the viewer. The inbox and a page of messages cost a constant number of
queries whatever their length.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.core.pagination import clamp_limit
from glimpse.graph.visibility import accounts_visible_to
from glimpse.messages.models import (
    Conversation,
    Member,
    Message,
    MessageMedia,
    MessageReaction,
    MessagingSettings,
)
from glimpse.messages.visibility import (
    conversations_visible_to,
    message_readers,
    messages_visible_to,
)
from glimpse.posts.models import Post
from glimpse.posts.selectors import posts_hydrate
from glimpse.stories.models import Story
from glimpse.stories.selectors import stories_hydrate

MISSING_CONVERSATION = "No conversation with this id."
MISSING_MESSAGE = "No message with this id."


@dataclass(frozen=True)
class Thread:
    """A conversation as one member sees it: its own row, the others, the latest message it
    may read and how many it has not read."""

    conversation: Conversation
    member: Member
    others: Sequence[Member]  # the other members still in it, oldest first
    last_message: Message | None
    unread: int


@dataclass(frozen=True)
class Inbox:
    """One page of conversations, latest activity first, and the cursor to the next one."""

    threads: Sequence[Thread]
    next_max_id: int | None


@dataclass(frozen=True)
class MessagePage:
    """One page of a conversation's messages, newest first, hydrated for the viewer."""

    messages: Sequence[Message]
    next_max_id: int | None


def conversation_get(*, viewer: User, conversation_id: int) -> tuple[Conversation, Member]:
    """Return a conversation the viewer is in and may see, and the viewer's row in it."""
    member = (
        Member.objects.filter(
            conversations_visible_to(viewer, conversation="conversation"),
            account=viewer,
            conversation_id=conversation_id,
        )
        .select_related("conversation", "conversation__photo")
        .first()
    )
    if member is None:
        raise NotFound(MISSING_CONVERSATION)
    return member.conversation, member


def thread_get(*, viewer: User, conversation_id: int) -> Thread:
    """Return a conversation as the viewer sees it, with its members."""
    _, member = conversation_get(viewer=viewer, conversation_id=conversation_id)
    return _threads(viewer, [member])[0]


def direct_with(*, viewer: User, username: str) -> tuple[User, Conversation | None]:
    """Return an account the viewer may see (not itself) by its username, and their
    one-to-one conversation if there is one."""
    name = username.strip().lstrip("@").lower()
    account = User.objects.filter(accounts_visible_to(viewer), username=name).first()
    if account is None or account.pk == viewer.pk:
        raise NotFound("No account with this username.")
    key = Conversation.pair_key_of(viewer.pk, account.pk)
    return account, Conversation.objects.visible_to(viewer).filter(pair_key=key).first()


def message_get(*, viewer: User, message_id: int) -> Message:
    """Return a message the viewer may read."""
    return _readable(viewer, message_id)[0]


def inbox(
    *, viewer: User, requests: bool = False, max_id: int | None = None, limit: int | None = None
) -> Inbox:
    """Return the viewer's conversations (or its message requests), latest activity first."""
    size = clamp_limit(limit)
    rows = _listed(viewer).filter(accepted=not requests)
    if max_id is not None:
        rows = rows.filter(conversation__activity_id__lt=max_id)
    members = list(
        rows.select_related("conversation", "conversation__photo").order_by(
            "-conversation__activity_id"
        )[: size + 1]
    )
    more = len(members) > size
    members = members[:size]
    threads = _threads(viewer, members)
    cursor = members[-1].conversation.activity_id if more else None
    return Inbox(threads=threads, next_max_id=cursor)


def requests_count(*, viewer: User) -> int:
    """Return how many conversations wait in the viewer's Requests."""
    return _listed(viewer).filter(accepted=False).count()


def unread_conversations_count(*, viewer: User) -> int:
    """Return how many of the viewer's accepted, unmuted conversations have unread messages."""
    unread = Message.objects.filter(
        messages_visible_to(viewer, since=OuterRef("visible_after_id")),
        conversation_id=OuterRef("conversation_id"),
        id__gt=OuterRef("last_read_id"),
    ).exclude(sender_id=viewer.pk)
    return _listed(viewer).filter(accepted=True, muted=False).filter(Exists(unread)).count()


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


def read_marks(*, viewer: User, thread: Thread) -> dict[int, int]:
    """Return up to which message each other member has read, by account id: only when the
    viewer and that member send read receipts and the member accepted the conversation."""
    ids = [other.account_id for other in thread.others]
    off = set(
        MessagingSettings.objects.filter(
            account_id__in=[viewer.pk, *ids], read_receipts=False
        ).values_list("account_id", flat=True)
    )
    if viewer.pk in off:
        return {}
    return {
        other.account_id: other.last_read_id
        for other in thread.others
        if other.accepted and other.account_id not in off
    }


def member_account_ids(*, conversation_id: int) -> list[int]:
    """Return the accounts still in a conversation."""
    return list(
        Member.objects.filter(
            conversation_id=conversation_id, state=Member.State.ACTIVE
        ).values_list("account_id", flat=True)
    )


def others_remain(*, conversation_id: int, viewer: User) -> bool:
    """Tell whether anyone but the viewer is still in the conversation (an erased account
    leaves a one-to-one with its other side alone)."""
    rows = Member.objects.filter(conversation_id=conversation_id, state=Member.State.ACTIVE)
    return rows.exclude(account_id=viewer.pk).exists()


def messaging_settings(*, viewer: User) -> MessagingSettings:
    """Return the viewer's messaging settings (the defaults when never changed)."""
    found = MessagingSettings.objects.filter(account_id=viewer.pk).first()
    return found or MessagingSettings(account_id=viewer.pk)


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


def _listed(viewer: User) -> QuerySet[Member]:
    """Return the viewer's rows of the conversations its lists show: visible, not deleted
    for itself since the latest message."""
    return Member.objects.filter(
        conversations_visible_to(viewer, conversation="conversation"),
        account=viewer,
        conversation__activity_id__gt=F("hidden_until_id"),
    )


def _threads(viewer: User, members: Sequence[Member]) -> list[Thread]:
    """Return the threads of these rows of the viewer, with a constant number of queries."""
    if not members:
        return []
    ids = [member.conversation_id for member in members]
    visible = messages_visible_to(viewer, since=OuterRef("visible_after_id"))
    latest = Message.objects.filter(visible, conversation_id=OuterRef("conversation_id"))
    unread = (
        Message.objects.filter(
            visible, conversation_id=OuterRef("conversation_id"), id__gt=OuterRef("last_read_id")
        )
        .exclude(sender_id=viewer.pk)
        .values("conversation_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    marks: dict[int, int | None] = {}
    counts: dict[int, int | None] = {}
    for pk, last_id, count in (
        Member.objects.filter(pk__in=[member.pk for member in members])
        .annotate(
            last_id=Subquery(latest.order_by("-pk").values("pk")[:1]), unread=Subquery(unread)
        )
        .values_list("pk", "last_id", "unread")
    ):
        marks[pk], counts[pk] = last_id, count
    last = {
        message.pk: message
        for message in Message.objects.filter(pk__in=[pk for pk in marks.values() if pk])
    }
    _previews_hydrate(list(last.values()))
    others: dict[int, list[Member]] = {}
    for other in (
        Member.objects.filter(conversation_id__in=ids, state=Member.State.ACTIVE)
        .exclude(account_id=viewer.pk)
        .order_by("joined_at", "pk")
    ):
        others.setdefault(other.conversation_id, []).append(other)
    return [
        Thread(
            conversation=member.conversation,
            member=member,
            others=others.get(member.conversation_id, []),
            last_message=last.get(marks.get(member.pk) or 0),
            unread=counts.get(member.pk) or 0,
        )
        for member in members
    ]


def _previews_hydrate(messages: list[Message]) -> None:
    """Load what an inbox line shows of messages (their media; no reactions, no quote, and
    what they share only by its kind), one query."""
    media: dict[int, list[MessageMedia]] = {}
    rows = MessageMedia.objects.filter(message__in=messages).select_related("media")
    for row in rows.order_by("position"):
        media.setdefault(row.message_id, []).append(row)
    for message in messages:
        message.media_rows = media.get(message.pk, [])
        message.reaction_rows, message.replied = [], None
        message.visible_post = message.visible_story = message.visible_account_id = None


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
