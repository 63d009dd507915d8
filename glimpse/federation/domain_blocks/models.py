"""The row of instance moderation: one server silenced or suspended by the moderators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Severity(models.TextChoices):
    """How far a domain block goes."""

    SILENCE = "silence", "Silence"
    SUSPEND = "suspend", "Suspend"


class DomainBlock(models.Model):
    """A server (a host, and every subdomain of it) the moderators silenced or suspended.

    ``silence`` keeps its accounts out of public surfaces for those who do not follow them;
    ``suspend`` cuts it off: nothing is taken from it or sent to it, its accounts are hidden
    and their follows end. ``reject_media`` stops fetching its media files either way.
    """

    domain = models.CharField(max_length=255, unique=True)  # a host, lowercased, no port
    severity = models.CharField(max_length=8, choices=Severity.choices)
    reject_media = models.BooleanField(default=False)
    private_comment = models.CharField(max_length=1000, blank=True)  # for moderators only
    public_comment = models.CharField(max_length=1000, blank=True)  # the reason shown
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "federation"

    def __str__(self) -> str:
        return f"{self.severity} {self.domain}"
