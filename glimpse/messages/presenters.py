"""Conversations and messages as the API and the pages show them (no query is made here but
the cached account cards).

``MessageView`` is built from a message hydrated by ``selectors.messages_hydrate`` for one
viewer, ``ThreadView`` from a ``selectors.Thread``; ``message_json`` and ``conversation_json``
are the only places their JSON is made. What a message shares is the shared content's own
presenter (a post's, a story's, an account's), or "unavailable" for a viewer who may not see
it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from glimpse.accounts.presenters import AccountJson, AccountView, account_json, account_views
from glimpse.media.presenters import MediaJson, MediaView, media_json, media_view
from glimpse.messages.models import Message
from glimpse.messages.selectors import Thread
from glimpse.posts.presenters import PostJson, PostView, post_json, post_view_of
from glimpse.stories.presenters import StoryJson, StoryView, story_json, story_view

DELETED_NAME = "Glimpse user"
PREVIEW_LENGTH = 80


@dataclass(frozen=True)
class ReactionView:
    """One emoji on a message: how many chose it, and whether the viewer did."""

    emoji: str
    count: int
    mine: bool


@dataclass(frozen=True)
class RepliedView:
    """The message a message answers, as a quote (None when the viewer may not read it)."""

    id: int
    sender: AccountView
    preview: str


@dataclass(frozen=True)
class SharedView:
    """What a message shares; ``available`` is False when the viewer may not see it (or it is
    gone), and then only its kind shows."""

    kind: str  # post, reel, story, profile
    available: bool
    post: PostView | None = None
    story: StoryView | None = None
    account: AccountView | None = None


@dataclass(frozen=True)
class MessageView:
    """A message as one member sees it."""

    id: int
    conversation_id: int
    kind: str  # message, story_reply, story_reaction
    sender: AccountView
    text: str
    media: tuple[MediaView, ...]
    reply_to: RepliedView | None
    replied_unavailable: bool  # it answers a message since unsent, or one not shown
    shared: SharedView | None
    reactions: tuple[ReactionView, ...]
    created_at: datetime
    edited_at: datetime | None
    is_own: bool


@dataclass(frozen=True)
class MemberView:
    """Another member of a conversation."""

    account: AccountView
    role: str


@dataclass(frozen=True)
class ThreadView:
    """A conversation in the viewer's inbox or open on its page."""

    id: int
    kind: str
    name: str  # a group's own name, or ""
    title: str  # what to call it: the group's name, or the other members' names
    photo: MediaView | None
    members: tuple[MemberView, ...]  # the others
    role: str
    accepted: bool
    muted: bool
    last_read_id: int
    last_message: MessageView | None
    preview: str
    unread: int
    activity_id: int


class ReactionJson(TypedDict):
    emoji: str
    count: int
    viewer_reacted: bool


class RepliedJson(TypedDict):
    id: str
    sender: AccountJson
    preview: str


class SharedJson(TypedDict):
    kind: str
    available: bool
    post: PostJson | None
    story: StoryJson | None
    account: AccountJson | None


class MessageJson(TypedDict):
    id: str
    conversation_id: str
    kind: str
    sender: AccountJson
    text: str
    media: list[MediaJson]
    reply_to: RepliedJson | None
    reply_unavailable: bool
    shared: SharedJson | None
    reactions: list[ReactionJson]
    created_at: datetime
    edited_at: datetime | None
    is_own: bool


class MemberJson(TypedDict):
    account: AccountJson
    role: str


class ConversationViewerJson(TypedDict):
    role: str
    accepted: bool
    muted: bool
    last_read_id: str


class ConversationJson(TypedDict):
    id: str
    kind: str
    name: str
    title: str
    photo: MediaJson | None
    members: list[MemberJson]
    viewer: ConversationViewerJson
    last_message: MessageJson | None
    preview: str
    unread_count: int


def message_views(messages: Sequence[Message], *, viewer_id: int) -> list[MessageView]:
    """Return the presenters of hydrated messages, reading the accounts they name at once."""
    wanted: set[int] = set()
    for message in messages:
        wanted.add(message.sender_id)
        if message.replied is not None:
            wanted.add(message.replied.sender_id)
        if message.visible_account_id:
            wanted.add(message.visible_account_id)
    accounts = account_views(wanted)
    return [_message_view(message, viewer_id, accounts) for message in messages]


def thread_views(threads: Iterable[Thread], *, viewer_id: int) -> list[ThreadView]:
    """Return the presenters of threads, reading the accounts they name at once."""
    threads = list(threads)
    wanted = {other.account_id for thread in threads for other in thread.others}
    wanted |= {t.last_message.sender_id for t in threads if t.last_message is not None}
    accounts = account_views(wanted)
    return [_thread_view(thread, viewer_id, accounts) for thread in threads]


def message_json(view: MessageView) -> MessageJson:
    """Return a message as the API and the sockets show it."""
    replied = view.reply_to
    return MessageJson(
        id=str(view.id),
        conversation_id=str(view.conversation_id),
        kind=view.kind,
        sender=account_json(view.sender),
        text=view.text,
        media=[media_json(item) for item in view.media],
        reply_to=RepliedJson(
            id=str(replied.id), sender=account_json(replied.sender), preview=replied.preview
        )
        if replied
        else None,
        reply_unavailable=view.replied_unavailable,
        shared=_shared_json(view.shared) if view.shared else None,
        reactions=[
            ReactionJson(emoji=r.emoji, count=r.count, viewer_reacted=r.mine)
            for r in view.reactions
        ],
        created_at=view.created_at,
        edited_at=view.edited_at,
        is_own=view.is_own,
    )


def conversation_json(view: ThreadView) -> ConversationJson:
    """Return a conversation as the API shows it in the inbox and alone."""
    return ConversationJson(
        id=str(view.id),
        kind=view.kind,
        name=view.name,
        title=view.title,
        photo=media_json(view.photo) if view.photo else None,
        members=[MemberJson(account=account_json(m.account), role=m.role) for m in view.members],
        viewer=ConversationViewerJson(
            role=view.role,
            accepted=view.accepted,
            muted=view.muted,
            last_read_id=str(view.last_read_id),
        ),
        last_message=message_json(view.last_message) if view.last_message else None,
        preview=view.preview,
        unread_count=view.unread,
    )


def message_preview(view: MessageView | None, *, viewer_id: int) -> str:
    """Return one line saying what a message is, as the inbox lists it."""
    if view is None:
        return ""
    who = "You: " if view.sender.id == viewer_id else ""
    if view.kind == Message.Kind.STORY_REACTION:
        return f"{who}Reacted {view.text} to a story"
    if view.kind == Message.Kind.STORY_REPLY:
        return f"{who}Replied to a story: {_cut(view.text)}"
    if view.text:
        return who + _cut(view.text)
    if view.media:
        kind = "video" if all(item.is_video for item in view.media) else "photo"
        return (
            f"{who}Sent a {kind}" if len(view.media) == 1 else f"{who}Sent {len(view.media)} items"
        )
    if view.shared:
        return f"{who}Shared a {view.shared.kind}"
    return who


def _message_view(
    message: Message, viewer_id: int, accounts: Mapping[int, AccountView]
) -> MessageView:
    """Return one message's presenter."""
    replied = message.replied
    counts = Counter(emoji for _, emoji in message.reaction_rows)
    mine = {emoji for account_id, emoji in message.reaction_rows if account_id == viewer_id}
    return MessageView(
        id=message.pk,
        conversation_id=message.conversation_id,
        kind=message.kind,
        sender=_account(accounts, message.sender_id),
        text=message.text,
        media=tuple(media_view(row.media) for row in message.media_rows),
        reply_to=RepliedView(
            id=replied.pk, sender=_account(accounts, replied.sender_id), preview=_cut(replied.text)
        )
        if replied is not None
        else None,
        replied_unavailable=message.reply_to_id is not None and replied is None,
        shared=_shared_view(message, accounts),
        reactions=tuple(
            ReactionView(emoji=emoji, count=count, mine=emoji in mine)
            for emoji, count in counts.items()
        ),
        created_at=message.created_at,
        edited_at=message.edited_at,
        is_own=message.sender_id == viewer_id,
    )


def _thread_view(thread: Thread, viewer_id: int, accounts: Mapping[int, AccountView]) -> ThreadView:
    """Return one conversation's presenter."""
    conversation = thread.conversation
    members = tuple(
        MemberView(account=_account(accounts, m.account_id), role=m.role) for m in thread.others
    )
    names = [member.account.name for member in members] or [DELETED_NAME]
    last = thread.last_message
    last_view = _message_view(last, viewer_id, accounts) if last is not None else None
    return ThreadView(
        id=conversation.pk,
        kind=conversation.kind,
        name=conversation.name,
        title=conversation.name or ", ".join(names),
        photo=media_view(conversation.photo) if conversation.photo else None,
        members=members,
        role=thread.member.role,
        accepted=thread.member.accepted,
        muted=thread.member.muted,
        last_read_id=thread.member.last_read_id,
        last_message=last_view,
        preview=message_preview(last_view, viewer_id=viewer_id),
        unread=thread.unread,
        activity_id=conversation.activity_id,
    )


def _shared_view(message: Message, accounts: Mapping[int, AccountView]) -> SharedView | None:
    """Return what a message shares as the viewer may see it."""
    if not message.shared_kind:
        return None
    if message.visible_post is not None:
        return SharedView(
            kind=message.shared_kind, available=True, post=post_view_of(message.visible_post)
        )
    if message.visible_story is not None:
        return SharedView(kind="story", available=True, story=story_view(message.visible_story))
    if message.visible_account_id:
        account = accounts[message.visible_account_id]
        return SharedView(kind="profile", available=True, account=account)
    return SharedView(kind=message.shared_kind, available=False)


def _shared_json(view: SharedView) -> SharedJson:
    """Return what a message shares as the API shows it."""
    return SharedJson(
        kind=view.kind,
        available=view.available,
        post=post_json(view.post) if view.post else None,
        story=story_json(view.story) if view.story else None,
        account=account_json(view.account) if view.account else None,
    )


def _account(accounts: Mapping[int, AccountView], account_id: int) -> AccountView:
    """Return an account's presenter, or "Glimpse user" for one erased meanwhile."""
    found = accounts.get(account_id)
    if found is not None:
        return found
    return AccountView(
        id=account_id, username="", display_name=DELETED_NAME, is_private=True, avatar_urls=None
    )


def _cut(text: str) -> str:
    """Return a text cut to one preview line."""
    line = " ".join(text.split())
    return line if len(line) <= PREVIEW_LENGTH else line[: PREVIEW_LENGTH - 1] + "…"
