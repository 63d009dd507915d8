"""Every write to direct messages (conversations and messages)."""

from glimpse.messages.services.conversations import (
    conversation_delete_for_me,
    conversation_leave,
    conversation_read,
    conversation_start,
    conversation_typing,
    conversation_update,
    member_admin_set,
    member_remove,
    members_add,
    messaging_settings_update,
)
from glimpse.messages.services.messages import (
    message_edit,
    message_react,
    message_remove_by_moderator,
    message_send,
    message_unreact,
    message_unsend,
    story_reaction_deliver,
    story_reply_deliver,
)

__all__ = [
    "conversation_delete_for_me",
    "conversation_leave",
    "conversation_read",
    "conversation_start",
    "conversation_typing",
    "conversation_update",
    "member_admin_set",
    "member_remove",
    "members_add",
    "message_edit",
    "message_react",
    "message_remove_by_moderator",
    "message_send",
    "message_unreact",
    "message_unsend",
    "messaging_settings_update",
    "story_reaction_deliver",
    "story_reply_deliver",
]
