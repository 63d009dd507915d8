"""Direct messages in the API (the router is mounted at the root): conversations, message
requests, messages, reactions, read marks, typing, and one's messaging settings.

A conversation or message the viewer is not in (or may not see) answers the same 404 as a
missing one.
"""

from __future__ import annotations

from typing import TypedDict

from django.http import HttpRequest
from ninja import Router, Status

from glimpse.accounts.auth import api_auth, request_user
from glimpse.accounts.models import User
from glimpse.core.api import errors
from glimpse.core.pagination import PageJson, cursor_json
from glimpse.messages import selectors, services
from glimpse.messages.badge import unread_badge
from glimpse.messages.models import MessagingSettings
from glimpse.messages.presenters import (
    ConversationJson,
    MessageJson,
    conversation_json,
    message_json,
    message_views,
    thread_views,
)
from glimpse.messages.schemas import (
    AdminIn,
    ConversationDetailOut,
    ConversationIn,
    ConversationListOut,
    ConversationOut,
    ConversationPatch,
    EmojiIn,
    MembersIn,
    MessageIn,
    MessageListOut,
    MessageOut,
    MessagePatch,
    ReadIn,
    ReadOut,
    SettingsOut,
    SettingsPatch,
    UnreadOut,
)
from glimpse.posts.schemas import Id

router = Router(tags=["messages"], auth=api_auth)

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)
START = errors(401, 403, 404, 409, 422, 429)


class ConversationDetailJson(ConversationJson):
    read_marks: dict[str, str]


class ReadJson(TypedDict):
    last_read_id: str


class UnreadJson(TypedDict):
    count: int
    requests: int


class SettingsJson(TypedDict):
    allow_from: str
    read_receipts: bool


@router.get("/conversations", response={200: ConversationListOut, **READ})
def inbox(
    request: HttpRequest, max_id: Id | None = None, limit: int | None = None
) -> PageJson[ConversationJson]:
    """Your conversations, latest activity first, with their last message and unread count
    (``max_id`` pages by the ``next_max_id`` given)."""
    return _inbox(request_user(request), requests=False, max_id=max_id, limit=limit)


@router.post("/conversations", response={200: ConversationOut, 201: ConversationOut, **START})
def conversation_start(request: HttpRequest, payload: ConversationIn) -> Status[ConversationJson]:
    """Start a conversation (an existing one-to-one answers 200 instead of a second one)."""
    viewer = request_user(request)
    conversation, created = services.conversation_start(
        actor=viewer, usernames=payload.usernames, name=payload.name
    )
    return Status(201 if created else 200, _conversation(viewer, conversation.pk))


@router.get("/conversations/requests", response={200: ConversationListOut, **READ})
def requests(
    request: HttpRequest, max_id: Id | None = None, limit: int | None = None
) -> PageJson[ConversationJson]:
    """Conversations from accounts you don't follow, waiting for you to accept them."""
    return _inbox(request_user(request), requests=True, max_id=max_id, limit=limit)


@router.get("/conversations/unread", response={200: UnreadOut, **READ})
def unread(request: HttpRequest) -> UnreadJson:
    """How many conversations have unread messages (the badge), and how many are requests."""
    viewer = request_user(request)
    return {
        "count": unread_badge(viewer=viewer),
        "requests": selectors.requests_count(viewer=viewer),
    }


@router.get("/conversations/settings", response={200: SettingsOut, **READ})
def settings_get(request: HttpRequest) -> SettingsJson:
    """Who may start a conversation with you, and whether you send read receipts."""
    return _settings_json(selectors.messaging_settings(viewer=request_user(request)))


@router.patch("/conversations/settings", response={200: SettingsOut, **WRITE})
def settings_update(request: HttpRequest, payload: SettingsPatch) -> SettingsJson:
    """Change who may start a conversation with you, or your read receipts."""
    found = services.messaging_settings_update(
        account=request_user(request),
        allow_from=payload.allow_from,
        read_receipts=payload.read_receipts,
    )
    return _settings_json(found)


@router.get("/conversations/{conversation_id}", response={200: ConversationDetailOut, **READ})
def conversation_get(request: HttpRequest, conversation_id: Id) -> ConversationDetailJson:
    """One conversation, with how far each other member read (when receipts allow)."""
    viewer = request_user(request)
    thread = selectors.thread_get(viewer=viewer, conversation_id=conversation_id)
    marks = selectors.read_marks(viewer=viewer, thread=thread)
    shown = conversation_json(thread_views([thread], viewer_id=viewer.pk)[0])
    return {**shown, "read_marks": {str(pk): str(upto) for pk, upto in marks.items()}}


@router.patch("/conversations/{conversation_id}", response={200: ConversationOut, **WRITE})
def conversation_update(
    request: HttpRequest, conversation_id: Id, payload: ConversationPatch
) -> ConversationJson:
    """Rename a group or set its photo; mute it, or accept it from your Requests."""
    viewer = request_user(request)
    services.conversation_update(
        actor=viewer,
        conversation_id=conversation_id,
        name=payload.name,
        photo_media_id=payload.photo_media_id,
        muted=payload.muted,
        accepted=payload.accepted,
    )
    return _conversation(viewer, conversation_id)


@router.delete("/conversations/{conversation_id}", response={204: None, **WRITE})
def conversation_delete(request: HttpRequest, conversation_id: Id) -> Status[None]:
    """Delete a conversation for yourself (or decline a request): it comes back only with a
    new message, without the ones before."""
    services.conversation_delete_for_me(
        actor=request_user(request), conversation_id=conversation_id
    )
    return Status(204, None)


@router.get("/conversations/{conversation_id}/messages", response={200: MessageListOut, **READ})
def messages(
    request: HttpRequest, conversation_id: Id, max_id: Id | None = None, limit: int | None = None
) -> PageJson[MessageJson]:
    """A conversation's messages, newest first."""
    viewer = request_user(request)
    page = selectors.messages_page(
        viewer=viewer, conversation_id=conversation_id, max_id=max_id, limit=limit
    )
    return {
        "items": [message_json(v) for v in message_views(page.messages, viewer_id=viewer.pk)],
        "next_max_id": cursor_json(page.next_max_id),
    }


@router.post(
    "/conversations/{conversation_id}/messages",
    response={201: MessageOut, **errors(401, 403, 404, 409, 422)},
)
def message_send(
    request: HttpRequest, conversation_id: Id, payload: MessageIn
) -> Status[MessageJson]:
    """Send text, photos and videos, or share a post, Reel, story or profile."""
    viewer = request_user(request)
    message = services.message_send(
        actor=viewer,
        conversation_id=conversation_id,
        text=payload.text or "",
        media_ids=payload.media_ids,
        shared_post_id=payload.shared_post_id,
        shared_story_id=payload.shared_story_id,
        shared_username=payload.shared_username,
        reply_to_id=payload.reply_to_id,
    )
    return Status(201, _message(viewer, message.pk))


@router.post("/conversations/{conversation_id}/read", response={200: ReadOut, **READ})
def conversation_read(request: HttpRequest, conversation_id: Id, payload: ReadIn) -> ReadJson:
    """Mark the conversation read up to a message (others see it if receipts allow)."""
    upto = services.conversation_read(
        actor=request_user(request), conversation_id=conversation_id, message_id=payload.message_id
    )
    return {"last_read_id": str(upto)}


@router.post("/conversations/{conversation_id}/typing", response={204: None, **WRITE})
def conversation_typing(request: HttpRequest, conversation_id: Id) -> Status[None]:
    """Tell the others you are typing (send it again every few seconds while you are)."""
    services.conversation_typing(actor=request_user(request), conversation_id=conversation_id)
    return Status(204, None)


@router.post("/conversations/{conversation_id}/members", response={200: ConversationOut, **WRITE})
def members_add(request: HttpRequest, conversation_id: Id, payload: MembersIn) -> ConversationJson:
    """Add accounts to a group you are an admin of."""
    viewer = request_user(request)
    services.members_add(actor=viewer, conversation_id=conversation_id, usernames=payload.usernames)
    return _conversation(viewer, conversation_id)


@router.put(
    "/conversations/{conversation_id}/members/{username}", response={200: ConversationOut, **WRITE}
)
def member_admin(
    request: HttpRequest, conversation_id: Id, username: str, payload: AdminIn
) -> ConversationJson:
    """Make a member of a group you administer an admin, or not."""
    viewer = request_user(request)
    services.member_admin_set(
        actor=viewer, conversation_id=conversation_id, username=username, admin=payload.admin
    )
    return _conversation(viewer, conversation_id)


@router.delete("/conversations/{conversation_id}/members/{username}", response={204: None, **WRITE})
def member_remove(request: HttpRequest, conversation_id: Id, username: str) -> Status[None]:
    """Remove a member from a group you administer."""
    services.member_remove(
        actor=request_user(request), conversation_id=conversation_id, username=username
    )
    return Status(204, None)


@router.post("/conversations/{conversation_id}/leave", response={204: None, **WRITE})
def conversation_leave(request: HttpRequest, conversation_id: Id) -> Status[None]:
    """Leave a group."""
    services.conversation_leave(actor=request_user(request), conversation_id=conversation_id)
    return Status(204, None)


@router.patch("/messages/{message_id}", response={200: MessageOut, **WRITE})
def message_edit(request: HttpRequest, message_id: Id, payload: MessagePatch) -> MessageJson:
    """Edit your message's text within 15 minutes of sending it."""
    viewer = request_user(request)
    services.message_edit(actor=viewer, message_id=message_id, text=payload.text)
    return _message(viewer, message_id)


@router.delete("/messages/{message_id}", response={204: None, **WRITE})
def message_unsend(request: HttpRequest, message_id: Id) -> Status[None]:
    """Unsend your message: it is gone for everyone."""
    services.message_unsend(actor=request_user(request), message_id=message_id)
    return Status(204, None)


@router.post("/messages/{message_id}/reactions", response={200: MessageOut, **WRITE})
def message_react(request: HttpRequest, message_id: Id, payload: EmojiIn) -> MessageJson:
    """React to a message with one emoji (replacing your earlier one)."""
    viewer = request_user(request)
    services.message_react(actor=viewer, message_id=message_id, emoji=payload.emoji)
    return _message(viewer, message_id)


@router.delete("/messages/{message_id}/reactions", response={200: MessageOut, **WRITE})
def message_unreact(request: HttpRequest, message_id: Id) -> MessageJson:
    """Take back your reaction to a message."""
    viewer = request_user(request)
    services.message_unreact(actor=viewer, message_id=message_id)
    return _message(viewer, message_id)


def _inbox(
    viewer: User, *, requests: bool, max_id: int | None, limit: int | None
) -> PageJson[ConversationJson]:
    """Return a page of the viewer's inbox or requests."""
    page = selectors.inbox(viewer=viewer, requests=requests, max_id=max_id, limit=limit)
    return {
        "items": [conversation_json(v) for v in thread_views(page.threads, viewer_id=viewer.pk)],
        "next_max_id": cursor_json(page.next_max_id),
    }


def _conversation(viewer: User, conversation_id: int) -> ConversationJson:
    """Return one conversation as the viewer sees it."""
    thread = selectors.thread_get(viewer=viewer, conversation_id=conversation_id)
    return conversation_json(thread_views([thread], viewer_id=viewer.pk)[0])


def _message(viewer: User, message_id: int) -> MessageJson:
    """Return one message as the viewer sees it."""
    message = selectors.message_for(viewer=viewer, message_id=message_id)
    return message_json(message_views([message], viewer_id=viewer.pk)[0])


def _settings_json(found: MessagingSettings) -> SettingsJson:
    """Return messaging settings as the API shows them."""
    return {"allow_from": found.allow_from, "read_receipts": found.read_receipts}
