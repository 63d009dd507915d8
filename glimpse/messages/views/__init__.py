"""The web pages of direct messages (see ``glimpse/messages/urls.py``)."""

from glimpse.messages.views.compose import new, send_to
from glimpse.messages.views.details import (
    details,
    leave,
    member_admin,
    member_remove,
    members_add,
    mute,
    rename,
)
from glimpse.messages.views.inbox import accept, block, delete, inbox, requests
from glimpse.messages.views.settings import messaging_settings
from glimpse.messages.views.thread import conversation, message, older, send, with_account

__all__ = [
    "accept",
    "block",
    "conversation",
    "delete",
    "details",
    "inbox",
    "leave",
    "member_admin",
    "member_remove",
    "members_add",
    "message",
    "messaging_settings",
    "mute",
    "new",
    "older",
    "rename",
    "requests",
    "send",
    "send_to",
    "with_account",
]
