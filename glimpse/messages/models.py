"""Conversations, their members, messages, what a message carries, and its reactions.

Every row is written by ``messages.services`` and read through ``messages.selectors``, which
always ask the QuerySet methods below (the rule of ``messages.visibility``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel
from glimpse.media.models import MediaItem
from glimpse.messages.visibility import conversations_visible_to
from glimpse.posts.models import Post
from glimpse.stories.models import Story

if TYPE_CHECKING:
    from glimpse.accounts.models import User


class ConversationQuerySet(models.QuerySet["Conversation"]):
    """Conversations, read through the visibility policy (``glimpse.messages.visibility``)."""

    def visible_to(self, viewer: User) -> ConversationQuerySet:
        """Keep the conversations the viewer is in and may see."""
        return self.filter(conversations_visible_to(viewer))


class Conversation(SnowflakeModel):
    """A one-to-one or group conversation."""

    class Kind(models.TextChoices):
        DIRECT = "direct"
        GROUP = "group"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=60, blank=True)  # groups only
    # A group's photo: a ready picture uploaded by one of its admins.
    photo = models.ForeignKey(
        MediaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # "<smaller id>:<larger id>" for a one-to-one: the pair has one conversation at most.
    pair_key = models.CharField(max_length=41, unique=True, null=True, blank=True)
    # The id of the latest message (or of the conversation itself): the inbox's order and cursor.
    activity_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["-activity_id"], name="direct_conv_activity")]

    def __str__(self) -> str:
        return f"{self.kind} conversation {self.pk}"

    @staticmethod
    def pair_key_of(first_id: int, second_id: int) -> str:
        """Return the key of the one-to-one conversation between two accounts."""
        low, high = sorted((first_id, second_id))
        return f"{low}:{high}"


class Member(SnowflakeModel):
    """An account in a conversation, with its own state of it."""

    class State(models.TextChoices):
        ACTIVE = "active"
        LEFT = "left"
        REMOVED = "removed"

    class Role(models.TextChoices):
        MEMBER = "member"
        ADMIN = "admin"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, db_index=False, related_name="members"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_members"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE)
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    # False while the conversation waits in this member's Requests.
    accepted = models.BooleanField(default=True)
    muted = models.BooleanField(default=False)
    # The member reads the messages above this id: those since it joined, after what it
    # deleted for itself.
    visible_after_id = models.BigIntegerField(default=0)
    # The member has read up to this message id.
    last_read_id = models.BigIntegerField(default=0)
    # Hidden from the member's lists (deleted for itself) until a newer message arrives.
    hidden_until_id = models.BigIntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["conversation", "account"], name="direct_member_once")
        ]
        indexes: ClassVar = [
            models.Index(fields=["account", "state", "accepted"], name="direct_member_account")
        ]

    def __str__(self) -> str:
        return f"account {self.account_id} in {self.conversation_id}"

    def id_shard(self) -> int | None:
        """Keep the row on its account's shard."""
        return shard_of(self.account_id) if self.account_id else None


class Message(SnowflakeModel):
    """One message: text, media, a shared post, Reel, story or profile, or a story's answer."""

    class Kind(models.TextChoices):
        MESSAGE = "message"
        STORY_REPLY = "story_reply"
        STORY_REACTION = "story_reaction"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, db_index=False, related_name="messages"
    )
    # An erased account's messages go with it; the other members keep theirs.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_sent"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MESSAGE)
    text = models.TextField(blank=True)
    # The message answered (an id, not a key: the answer stays when that one is unsent).
    reply_to_id = models.BigIntegerField(null=True, blank=True)
    shared_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What was shared, kept when the content itself is gone ("post unavailable").
    shared_kind = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    # Set by ``selectors.messages_hydrate`` for one viewer: what it sees of the message.
    media_rows: list[MessageMedia] = []
    reaction_rows: list[tuple[int, str]] = []
    replied: Message | None = None  # the message answered, if the viewer may read it
    visible_post: Post | None = None
    visible_story: Story | None = None
    visible_account_id: int | None = None

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["conversation", "-id"], name="direct_message_conv"),
            models.Index(fields=["sender", "-id"], name="direct_message_sender"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"

    def id_shard(self) -> int | None:
        """Keep a conversation's messages on its shard."""
        return shard_of(self.conversation_id) if self.conversation_id else None


class MessageMedia(models.Model):
    """A photo or video of a message, in order."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, db_index=False, related_name="attachments"
    )
    # A media item belongs to one post, story or message; unsending deletes it.
    media = models.OneToOneField(MediaItem, on_delete=models.CASCADE, related_name="message_use")
    position = models.PositiveSmallIntegerField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["message", "position"], name="direct_media_pos")]

    def __str__(self) -> str:
        return f"media {self.media_id} of message {self.message_id}"


class MessageReaction(SnowflakeModel):
    """One account's emoji on a message (one per account, replaced by a new one)."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, db_index=False, related_name="reactions"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_reactions"
    )
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["message", "account"], name="direct_reaction_once")
        ]


class MessagingSettings(models.Model):
    """Who may start a conversation with an account, and whether it sends read receipts."""

    class AllowFrom(models.TextChoices):
        EVERYONE = "everyone", "Everyone (others land in Requests)"
        FOLLOWING = "following", "Only people you follow"
        NOBODY = "nobody", "Nobody new"

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    allow_from = models.CharField(
        max_length=10, choices=AllowFrom.choices, default=AllowFrom.EVERYONE
    )
    read_receipts = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"messaging settings of account {self.account_id}"
