"""Web Push: the devices that asked for push notifications, and the key that signs pushes.

A ``PushSubscription`` is what a browser's ``PushManager.subscribe()`` gives: the push
service's URL for that browser (``endpoint``) and the keys its messages are encrypted to.
The ``VapidKey`` (one row) is the server's key pair: browsers subscribe with its public half
and push services check each push's signature against it. Rows are only written by
``push.services`` and ``push.keys``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel


class PushDevice(SnowflakeModel):
    """What every kind of push subscription holds: where pushes go, the keys they are
    encrypted to, and how the last ones went (``push.delivery`` sends to any of them)."""

    endpoint = models.CharField(max_length=1024)
    p256dh = models.CharField(max_length=100)  # the device's P-256 public key, base64url
    auth = models.CharField(max_length=50)  # its 16-byte authentication secret, base64url
    server_key = models.CharField(max_length=100)  # the VAPID public key it was made with
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)  # in a row; reset by a success

    class Meta:
        abstract = True


class PushSubscription(PushDevice):
    """One browser of an account that receives its push notifications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # A browser's endpoint is unique to it: the account last signed in there owns it.
    endpoint = models.CharField(max_length=1024, unique=True)
    device = models.CharField(max_length=100, blank=True)  # "Chrome on Android", for the list

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user_id}"

    def id_shard(self) -> int | None:
        """Keep a subscription on its owner's shard."""
        return shard_of(self.user_id) if self.user_id else None


class VapidKey(models.Model):
    """The server's VAPID key pair (a single row, made on first use)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    private_key = models.CharField(max_length=100)  # base64url raw P-256 scalar
    public_key = models.CharField(max_length=100)  # base64url uncompressed point
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"VAPID key {self.public_key[:12]}…"
