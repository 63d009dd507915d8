"""The JSON shapes of conversations and messages in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from glimpse.posts.schemas import AccountCompactOut, Id, PostOut
from glimpse.stories.schemas import StoryMediaOut, StoryOut

# --- input ------------------------------------------------------------------------------


class ConversationIn(Schema):
    usernames: list[str] = Field(
        max_length=100,
        description="The other accounts (1 to 31). One account and no name: a one-to-one "
        "conversation (an existing one is returned).",
    )
    name: str = Field("", max_length=1_000, description="A group's name (up to 60 characters).")


class ConversationPatch(Schema):
    name: str | None = Field(None, max_length=1_000, description="A group's new name.")
    photo_media_id: Id | None = Field(None, description="A ready photo of yours, for a group.")
    muted: bool | None = Field(None, description="Mute it for yourself (no badge, no push).")
    accepted: bool | None = Field(None, description="true: accept it from your Requests.")


class MembersIn(Schema):
    usernames: list[str] = Field(max_length=100, description="Accounts to add to the group.")


class AdminIn(Schema):
    admin: bool


class MessageIn(Schema):
    text: str | None = Field(None, max_length=10_000, description="Up to 1,000 characters.")
    media_ids: list[Id] = Field(
        default_factory=list, max_length=100, description="Ready photos and videos of yours (10)."
    )
    shared_post_id: Id | None = Field(None, description="A post or Reel to share.")
    shared_story_id: Id | None = Field(None, description="A live story to share.")
    shared_username: str | None = Field(None, max_length=100, description="A profile to share.")
    reply_to_id: Id | None = Field(None, description="A message of this conversation to answer.")


class MessagePatch(Schema):
    text: str = Field(max_length=10_000, description="The new text (within 15 minutes).")


class ReadIn(Schema):
    message_id: Id


class EmojiIn(Schema):
    emoji: str = Field(max_length=64, description="One emoji.")


class SettingsPatch(Schema):
    allow_from: Literal["everyone", "following", "nobody"] | None = Field(
        None, description="Who may start a conversation with you."
    )
    read_receipts: bool | None = Field(
        None, description="Send read receipts (off: you see no one else's either)."
    )


# --- output -----------------------------------------------------------------------------


class ReactionOut(Schema):
    emoji: str
    count: int
    viewer_reacted: bool


class RepliedOut(Schema):
    id: str
    sender: AccountCompactOut
    preview: str


class SharedOut(Schema):
    kind: Literal["post", "reel", "story", "profile"]
    available: bool = Field(description='false: you may not see it, or it is gone ("unavailable").')
    post: PostOut | None
    story: StoryOut | None
    account: AccountCompactOut | None


class MessageOut(Schema):
    id: str
    conversation_id: str
    kind: Literal["message", "story_reply", "story_reaction"]
    sender: AccountCompactOut
    text: str
    media: list[StoryMediaOut]
    reply_to: RepliedOut | None
    reply_unavailable: bool = Field(description="It answers a message since unsent.")
    shared: SharedOut | None
    reactions: list[ReactionOut]
    created_at: datetime
    edited_at: datetime | None
    is_own: bool


class MessageListOut(Schema):
    items: list[MessageOut]
    next_max_id: str | None


class MemberOut(Schema):
    account: AccountCompactOut
    role: Literal["member", "admin"]


class ConversationViewerOut(Schema):
    role: Literal["member", "admin"]
    accepted: bool = Field(description="false while it waits in your Requests.")
    muted: bool
    last_read_id: str


class ConversationOut(Schema):
    id: str
    kind: Literal["direct", "group"]
    name: str
    title: str = Field(description="The group's name, or the others' names (\"Glimpse user\").")
    photo: StoryMediaOut | None
    members: list[MemberOut] = Field(description="The other members.")
    viewer: ConversationViewerOut
    last_message: MessageOut | None
    preview: str
    unread_count: int


class ConversationDetailOut(ConversationOut):
    read_marks: dict[str, str] = Field(
        description="Up to which message each other member read, by account id (read "
        "receipts on both sides)."
    )


class ConversationListOut(Schema):
    items: list[ConversationOut]
    next_max_id: str | None


class ReadOut(Schema):
    last_read_id: str


class UnreadOut(Schema):
    count: int = Field(description="Conversations with unread messages (not muted).")
    requests: int = Field(description="Conversations waiting in Requests.")


class SettingsOut(Schema):
    allow_from: Literal["everyone", "following", "nobody"]
    read_receipts: bool
