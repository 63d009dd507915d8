"""Push a new message to the devices of a member who has no page open.

What is pushed is what the member's inbox would show now: the message as
``selectors.message_for`` gives it to that member (the visibility policy), in a conversation
it accepted and did not mute. A tap opens the conversation; one conversation keeps one
notification on the device (its tag), replaced by the next message.
"""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.messages import selectors
from glimpse.messages.presenters import message_preview, message_views
from glimpse.push.delivery import devices_push
from glimpse.push.messages import APP_ICON, AVATAR_SIZE, BADGE, PushMessage, message_bytes
from glimpse.push.models import PushSubscription
from glimpse.realtime.presence import get_presence


def message_push(*, recipient_id: int, message_id: int) -> int:
    """Push one message to a member's devices unless a page of theirs is open; return how
    many devices took it."""
    devices = list(PushSubscription.objects.filter(user_id=recipient_id).order_by("pk"))
    if not devices or get_presence().present([recipient_id]):
        return 0
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return 0
    try:
        message = selectors.message_for(viewer=recipient, message_id=message_id)
        _, member = selectors.conversation_get(
            viewer=recipient, conversation_id=message.conversation_id
        )
    except NotFound:
        return 0  # unsent meanwhile, or no longer visible to the member
    if not member.accepted or member.muted or message.pk <= member.last_read_id:
        return 0
    view = message_views([message], viewer_id=recipient.pk)[0]
    avatar = (view.sender.avatar_urls or {}).get(AVATAR_SIZE)
    push = PushMessage(
        title=view.sender.name,
        body=message_preview(view, viewer_id=recipient.pk),
        url=reverse("messages:conversation", args=[message.conversation_id]),
        icon=avatar or static(APP_ICON),
        badge=static(BADGE),
        image=None,
        tag=f"conversation-{message.conversation_id}",
        timestamp=int(timezone.now().timestamp() * 1000),
    )
    return devices_push(
        devices=devices, data=message_bytes(push), topic=f"c{message.conversation_id}"
    )
