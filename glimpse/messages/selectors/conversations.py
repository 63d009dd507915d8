"""Reads of conversations, always as one member sees them: one, the inbox and requests, the
badge's count, read marks, members and one's messaging settings.

Conversations come through ``conversations_visible_to`` (``messages.visibility``); the inbox
costs a constant number of queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.core.pagination import clamp_limit
from glimpse.graph.visibility import accounts_visible_to
from glimpse.messages.models import (
    Conversation,
    Member,
    Message,
    MessageMedia,
    MessagingSettings,
)
from glimpse.messages.visibility import (
    conversations_visible_to,
    messages_visible_to,
)

MISSING_CONVERSATION = "No conversation with this id."


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


def read_marks(*, viewer: User, thread: Thread) -> dict[int, int]:
    """Return up to which message each other member has read, by account id: only when the
    viewer and that member send read receipts and the member accepted the conversation."""
    ids = [other.account_id for other in thread.others]
    off = receipts_off(account_ids=[viewer.pk, *ids])
    if viewer.pk in off:
        return {}
    return {
        other.account_id: other.last_read_id
        for other in thread.others
        if other.accepted and other.account_id not in off
    }


def receipts_off(*, account_ids: Sequence[int]) -> set[int]:
    """Return which of these accounts turned their read receipts off."""
    rows = MessagingSettings.objects.filter(account_id__in=account_ids, read_receipts=False)
    return set(rows.values_list("account_id", flat=True))


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
