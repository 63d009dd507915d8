"""Push a notification to its recipient's devices, and keep what each device answered.

Called by the ``push.send`` job once a notification is made or bumped. What is pushed is
exactly what the notifications list would show the recipient now: the entry as
``notifications.selectors.notification_event`` gives it (the visibility policy: blocks,
closed accounts, hidden posts and comments), unread, and of a kind the recipient has not
turned off. Devices that are gone (404 or 410 from their push service), subscribed with an
older server key, or that failed too many times in a row are forgotten.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.notifications import selectors as notifications
from glimpse.notifications.models import NOTICE_KINDS, Level
from glimpse.push.keys import server_key
from glimpse.push.messages import message_bytes, push_message
from glimpse.push.models import PushDevice, PushSubscription
from glimpse.push.sender import Encoding, Outcome, push_send


def notification_push(*, recipient_id: int, notification_id: int) -> int:
    """Push one notification to the recipient's devices; return how many took it."""
    devices = list(PushSubscription.objects.filter(user_id=recipient_id).order_by("pk"))
    if not devices:
        return 0  # most accounts: one query and done
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return 0
    event = notifications.notification_event(viewer=recipient, notification_id=notification_id)
    if event is None or event["is_read"] or _turned_off(recipient, event["kind"]):
        return 0
    stamp = int(timezone.now().timestamp() * 1000)
    data = message_bytes(push_message(event, timestamp_ms=stamp))
    return devices_push(devices=devices, data=data, topic=f"n{notification_id}")


def devices_push(
    *,
    devices: Sequence[PushDevice],
    data: bytes,
    topic: str,
    encoding: Encoding = "aes128gcm",
) -> int:
    """Push an encrypted message to these devices of one account; return how many took it.

    Devices subscribed with an older server key are forgotten; what each device answered is
    kept (see ``_record``). Other apps' pushes (direct messages, the client API's
    subscriptions) come through here too: a device is a row of any model with the fields of
    ``PushDevice``.
    """
    key = server_key()
    delivered = 0
    for device in devices:
        if device.server_key != key.public_key:
            device.delete()  # made for a key that is no more: the browser subscribes anew
            continue
        outcome = push_send(subscription=device, data=data, key=key, topic=topic, encoding=encoding)
        delivered += _record(device, outcome)
    return delivered


def _turned_off(recipient: User, kind: str) -> bool:
    """Tell whether the recipient turned this kind off (moderators' notices cannot be)."""
    if kind in NOTICE_KINDS:
        return False
    return notifications.preferences_get(user=recipient).get(kind) == Level.OFF


def _record(device: PushDevice, outcome: Outcome) -> int:
    """Keep what a device answered; return 1 when it took the push."""
    now = timezone.now()
    rows = type(device)._default_manager.filter(pk=device.pk)
    if outcome is Outcome.DELIVERED:
        rows.update(last_success_at=now, failures=0)
        return 1
    if outcome is Outcome.GONE or device.failures + 1 >= settings.GLIMPSE_PUSH_FAILURES_MAX:
        rows.delete()
    else:
        rows.update(last_failure_at=now, failures=F("failures") + 1)
    return 0
