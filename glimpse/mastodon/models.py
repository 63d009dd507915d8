"""What the client API keeps of its own: each token's Web Push subscription."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from oauth2_provider.models import AccessToken

from glimpse.accounts.models import ApiToken
from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel
from glimpse.push.models import PushDevice


class Policy(models.TextChoices):
    """Whose notifications an app's subscription pushes (Mastodon's ``policy``)."""

    ALL = "all", "Everyone"
    FOLLOWED = "followed", "People the account follows"
    FOLLOWER = "follower", "People who follow the account"
    NONE = "none", "Nobody"


class ClientPushSubscription(PushDevice):
    """The push subscription of one token of a client app: Mastodon gives each token one,
    and a new one replaces it. Revoking the token ends it. Pushed with the server's key and
    through the same sender as the web app's."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_pushes"
    )
    access_token = models.OneToOneField(
        AccessToken, null=True, blank=True, on_delete=models.CASCADE, related_name="client_push"
    )
    api_token = models.OneToOneField(
        ApiToken, null=True, blank=True, on_delete=models.CASCADE, related_name="client_push"
    )
    # RFC 8291's encryption; without it the draft one (aesgcm) older apps decrypt.
    standard = models.BooleanField(default=False)
    alerts = models.JSONField(default=dict)  # Mastodon's notification type -> pushed or not
    policy = models.CharField(max_length=8, choices=Policy.choices, default=Policy.ALL)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="client_push_one_token",
                condition=models.Q(access_token__isnull=False, api_token__isnull=True)
                | models.Q(access_token__isnull=True, api_token__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"client push subscription {self.pk} of {self.user_id}"

    def id_shard(self) -> int | None:
        """Keep a subscription on its owner's shard."""
        return shard_of(self.user_id) if self.user_id else None


class Timeline(models.TextChoices):
    """The lists a client app keeps a reading position in (Mastodon's markers)."""

    HOME = "home", "Home timeline"
    NOTIFICATIONS = "notifications", "Notifications"


class ReadMarker(SnowflakeModel):
    """Where an account stopped reading one list, kept for all its apps and devices: the id
    of the last item read, and a version counting the moves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_markers"
    )
    timeline = models.CharField(max_length=16, choices=Timeline.choices)
    last_read_id = models.BigIntegerField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "timeline"], name="read_marker_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.timeline} to {self.last_read_id}"

    def id_shard(self) -> int | None:
        """Keep a marker on its owner's shard."""
        return shard_of(self.user_id) if self.user_id else None
