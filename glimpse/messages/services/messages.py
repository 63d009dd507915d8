"""Every write to messages: send, edit, unsend, react, the answers to stories, and a
moderator's removal.

Each service checks everything first and writes in one transaction: a refusal writes nothing.
Members' sockets and devices hear of it after commit (``messages.delivery``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound, PermissionDenied
from glimpse.graph.visibility import accounts_visible_to
from glimpse.media.models import MediaItem
from glimpse.media.services import media_attach
from glimpse.messages import delivery, rules, selectors
from glimpse.messages.models import Conversation, Member, Message, MessageMedia, MessageReaction
from glimpse.messages.services.common import files_delete_on_commit
from glimpse.messages.services.conversations import conversation_start
from glimpse.posts.models import Post
from glimpse.stories.models import Story, StoryReaction, StoryReply

EMOJI_MAX = 16


def message_send(
    *,
    actor: User,
    conversation_id: int,
    text: str = "",
    media_ids: Sequence[int] = (),
    shared_post_id: int | None = None,
    shared_story_id: int | None = None,
    shared_username: str | None = None,
    reply_to_id: int | None = None,
) -> Message:
    """Send a message to a conversation the actor is in: text, photos and videos, a shared
    post, Reel, story or profile, optionally as a reply to an earlier message."""
    conversation, member = selectors.conversation_get(viewer=actor, conversation_id=conversation_id)
    if not member.accepted:
        raise PermissionDenied("Accept this request to reply.", code="request_pending")
    if conversation.kind == Conversation.Kind.DIRECT and not selectors.others_remain(
        conversation_id=conversation.pk, viewer=actor
    ):
        raise PermissionDenied(
            "This account no longer exists: the conversation takes no new messages.",
            code="account_gone",
        )
    text = _checked_text(text)
    shares = [shared_post_id, shared_story_id, shared_username]
    if sum(share is not None for share in shares) > 1:
        raise InvalidInput(fields={"shared_post_id": ["Share one thing per message."]})
    if not text and not media_ids and all(share is None for share in shares):
        raise InvalidInput(fields={"text": ["Write something, or attach or share something."]})
    if len(media_ids) > settings.GLIMPSE_MESSAGE_MEDIA_MAX:
        limit = settings.GLIMPSE_MESSAGE_MEDIA_MAX
        raise InvalidInput(fields={"media_ids": [f"At most {limit} photos and videos."]})
    message = Message(conversation=conversation, sender=actor, text=text)
    if shared_post_id is not None:
        message.shared_post = _shared_post(actor, shared_post_id)
        message.shared_kind = message.shared_post.kind
    if shared_story_id is not None:
        message.shared_story = _shared_story(actor, shared_story_id)
        message.shared_kind = "story"
    if shared_username is not None:
        message.shared_account = _shared_account(actor, shared_username)
        message.shared_kind = "profile"
    if reply_to_id is not None:
        message.reply_to_id = _replied(actor, conversation, reply_to_id).pk
    with transaction.atomic():
        items = media_attach(owner=actor, media_ids=list(media_ids)) if media_ids else []
        _deliver(message, items)
    return message


def message_edit(*, actor: User, message_id: int, text: str) -> Message:
    """Change the text of one's own message within the edit window (it shows as edited)."""
    message = _own(actor, message_id)
    window = timedelta(seconds=settings.GLIMPSE_MESSAGE_EDIT_WINDOW)
    if timezone.now() - message.created_at > window:
        minutes = settings.GLIMPSE_MESSAGE_EDIT_WINDOW // 60
        raise PermissionDenied(
            f"A message can be edited for {minutes} minutes after it was sent.",
            code="edit_window_over",
        )
    text = _checked_text(text)
    if not text and not message.attachments.exists() and not message.shared_kind:
        raise InvalidInput(fields={"text": ["Write something, or unsend the message."]})
    if text == message.text:
        return message
    with transaction.atomic():
        message.text = text
        message.edited_at = timezone.now()
        message.save(update_fields=["text", "edited_at"])
        delivery.message_changed_on_commit(message.pk, "message.edited")
    return message


def message_unsend(*, actor: User, message_id: int) -> None:
    """Unsend one's own message: it is gone for every member, with its photos and videos."""
    message = _own(actor, message_id)
    _destroy(message)


def message_remove_by_moderator(*, message_id: int) -> bool:
    """Remove a reported message for every member; return whether there was one."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        return False
    _destroy(message)
    return True


def message_react(*, actor: User, message_id: int, emoji: str) -> MessageReaction:
    """React to a message the actor may read with one emoji, replacing its earlier one."""
    emoji = emoji.strip()
    if not emoji or len(emoji) > EMOJI_MAX or any(char.isalnum() for char in emoji):
        raise InvalidInput(fields={"emoji": ["Send one emoji."]})
    message = selectors.message_get(viewer=actor, message_id=message_id)
    _accepted(actor, message)
    with transaction.atomic():
        reaction, _ = MessageReaction.objects.update_or_create(
            message=message,
            account=actor,
            defaults={"emoji": emoji, "created_at": timezone.now()},
        )
        delivery.message_changed_on_commit(message.pk, "message.reactions")
    return reaction


def message_unreact(*, actor: User, message_id: int) -> None:
    """Take back one's reaction to a message the actor may read."""
    message = selectors.message_get(viewer=actor, message_id=message_id)
    with transaction.atomic():
        deleted, _ = MessageReaction.objects.filter(message=message, account=actor).delete()
        if deleted:
            delivery.message_changed_on_commit(message.pk, "message.reactions")


def story_reply_deliver(*, reply_id: int) -> Message | None:
    """Put a story reply into its sender's conversation with the story's author."""
    reply = StoryReply.objects.select_related("story", "author").filter(pk=reply_id).first()
    if reply is None:
        return None
    return _story_answer(reply.author, reply.story, Message.Kind.STORY_REPLY, reply.text)


def story_reaction_deliver(*, reaction_id: int) -> Message | None:
    """Put a story reaction into its sender's conversation with the story's author."""
    reaction = StoryReaction.objects.select_related("story", "account").filter(pk=reaction_id)
    found = reaction.first()
    if found is None:
        return None
    return _story_answer(found.account, found.story, Message.Kind.STORY_REACTION, found.emoji)


def _story_answer(sender: User, story: Story, kind: str, text: str) -> Message | None:
    """Send a story's answer in the one-to-one conversation of its sender and author, started
    if need be (into the author's Requests unless the author follows the sender); nothing
    when the author takes no messages from the sender."""
    author = User.objects.filter(accounts_visible_to(sender), pk=story.author_id).first()
    if author is None:
        return None
    key = Conversation.pair_key_of(sender.pk, author.pk)
    with transaction.atomic():
        conversation = Conversation.objects.visible_to(sender).filter(pair_key=key).first()
        if conversation is None:
            if rules.refusing(sender, [author]):
                return None
            conversation, _ = conversation_start(actor=sender, usernames=[author.username])
        message = Message(
            conversation=conversation,
            sender=sender,
            kind=kind,
            text=text[: settings.GLIMPSE_MESSAGE_TEXT_MAX],
        )
        message.shared_story = story
        message.shared_kind = "story"
        _deliver(message, [])
    return message


def _deliver(message: Message, items: Sequence[object]) -> None:
    """Save a message with its media, make it the conversation's latest, mark it read by its
    sender, bring the conversation back to members who deleted it, and tell the members."""
    message.save()
    MessageMedia.objects.bulk_create(
        MessageMedia(message=message, media=item, position=index)  # type: ignore[misc]
        for index, item in enumerate(items)
    )
    Conversation.objects.filter(pk=message.conversation_id).update(activity_id=message.pk)
    Member.objects.filter(conversation_id=message.conversation_id, account=message.sender).update(
        last_read_id=message.pk
    )
    delivery.message_sent_on_commit(message.pk)


def _destroy(message: Message) -> None:
    """Delete a message for everyone, then its files."""
    keys = list(
        MessageMedia.objects.filter(message=message).values_list("media__storage_key", flat=True)
    )
    message_id, conversation_id = message.pk, message.conversation_id
    with transaction.atomic():
        MediaItem.objects.filter(message_use__message_id=message_id).delete()
        Message.objects.filter(pk=message_id).delete()
        delivery.message_unsent_on_commit(conversation_id, message_id)
        files_delete_on_commit(keys)


def _accepted(actor: User, message: Message) -> None:
    """Refuse to answer a message of a conversation still waiting in the actor's Requests."""
    _, member = selectors.conversation_get(viewer=actor, conversation_id=message.conversation_id)
    if not member.accepted:
        raise PermissionDenied("Accept this request to reply.", code="request_pending")


def _own(actor: User, message_id: int) -> Message:
    """Return a message the actor sent and may still read."""
    message = selectors.message_get(viewer=actor, message_id=message_id)
    if message.sender_id != actor.pk:
        raise PermissionDenied("Only its sender can change a message.")
    return message


def _checked_text(text: str) -> str:
    """Return a message's text, trimmed, or refuse one too long."""
    text = text.strip()
    limit = settings.GLIMPSE_MESSAGE_TEXT_MAX
    if len(text) > limit:
        raise InvalidInput(fields={"text": [f"A message has at most {limit} characters."]})
    return text


def _shared_post(actor: User, post_id: int) -> Post:
    """Return a post or Reel the actor may see, to share."""
    post = Post.objects.visible_to(actor).filter(pk=post_id).first()
    if post is None:
        raise NotFound("No post with this id.")
    return post


def _shared_story(actor: User, story_id: int) -> Story:
    """Return a live story the actor may see, to share."""
    story = Story.objects.live_to(actor).filter(pk=story_id).first()
    if story is None:
        raise NotFound("No story with this id.")
    return story


def _shared_account(actor: User, username: str) -> User:
    """Return a profile the actor may see, to share."""
    name = username.strip().lstrip("@").lower()
    account = User.objects.filter(accounts_visible_to(actor), username=name).first()
    if account is None:
        raise NotFound("No account with this username.")
    return account


def _replied(actor: User, conversation: Conversation, message_id: int) -> Message:
    """Return the message of this conversation, which the actor may read, being replied to."""
    message = selectors.message_get(viewer=actor, message_id=message_id)
    if message.conversation_id != conversation.pk:
        raise NotFound("No message with this id in this conversation.")
    return message
