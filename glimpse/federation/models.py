"""Federation's rows: the RSA key pairs other servers check our signatures with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel


class ActorKey(SnowflakeModel):
    """The key pair of one actor: a local account's, or the instance's (``user`` empty).

    The public half is published in the actor's document; the private half signs what the
    actor sends and never leaves the server. An actor has one key at a time: rotating it
    replaces the pair in place.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actor_key",
    )
    private_pem = models.TextField()
    public_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # The one-to-one keeps an account to one key; this keeps the instance to one too
            # (a unique column alone lets any number of empty values through). Ids are never 0.
            models.UniqueConstraint(
                Coalesce("user", models.Value(0)), name="federation_actor_key_one_per_actor"
            ),
        ]

    def __str__(self) -> str:
        owner = f"account {self.user_id}" if self.user_id else "the instance"
        return f"actor key of {owner}"

    def id_shard(self) -> int | None:
        """Keep an account's key on its owner's shard."""
        return shard_of(self.user_id) if self.user_id else None


class ActorType(models.TextChoices):
    """The ActivityStreams actor types an account of another server may have."""

    PERSON = "Person"
    SERVICE = "Service"
    APPLICATION = "Application"
    GROUP = "Group"
    ORGANIZATION = "Organization"


class RemoteActor(SnowflakeModel):
    """What federation knows of an account of another server, beside its ``User`` row.

    The ``User`` (username ``name@host``, no usable password) lets follows, likes, comments,
    notifications and the visibility policy treat it as any account; this row keeps where
    its server takes activities, its key, and the document it was last read from. Local
    accounts never have one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="remote_actor"
    )
    uri = models.URLField(max_length=2048, unique=True)  # the actor's id
    domain = models.CharField(max_length=255, db_index=True)  # host[:port], lowercased
    inbox = models.URLField(max_length=2048)
    shared_inbox = models.URLField(max_length=2048, blank=True)  # "" when it has none
    outbox = models.URLField(max_length=2048, blank=True)
    followers = models.URLField(max_length=2048, blank=True)
    following = models.URLField(max_length=2048, blank=True)
    url = models.URLField(max_length=2048, blank=True)  # the profile page
    key_id = models.URLField(max_length=2048, db_index=True)
    public_key_pem = models.TextField()
    actor_type = models.CharField(max_length=16, choices=ActorType.choices)
    # The avatar's address on its server (a job fetches it into the account's avatar).
    icon_url = models.URLField(max_length=2048, blank=True)
    fetched_at = models.DateTimeField()
    raw = models.JSONField(default=dict)  # the last document read, for debugging

    def __str__(self) -> str:
        return self.uri

    def id_shard(self) -> int | None:
        """Keep an account's remote details on its shard."""
        return shard_of(self.user_id) if self.user_id else None


class OutgoingActivity(SnowflakeModel):
    """An activity this server sends to other servers: its JSON, serialised once, and who signs.

    One row however many inboxes it goes to; each inbox has its ``Delivery``.
    """

    # The account that signs it; empty for the instance's own actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    body = models.TextField()
    created_at = models.DateTimeField()
    # A copy of the signing key, for the Delete of an account being erased: its key row and
    # its account go with it, while the Delete must still be signed by it. Blanked once
    # every delivery of the activity is finished.
    signer_key_id = models.URLField(max_length=2048, blank=True, default="")
    signer_private_pem = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"outgoing activity {self.pk}"


class DeliveryState(models.TextChoices):
    """Where a delivery stands."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Delivery(SnowflakeModel):
    """One activity on its way to one inbox, retried until it arrives or the span runs out.

    ``next_attempt_at`` is the source of truth for when to try next; ``lease_until`` says
    until when a queued or running job has the row in hand (after it, the job is presumed
    lost and the periodic job queues the delivery again).
    """

    activity = models.ForeignKey(
        OutgoingActivity, on_delete=models.CASCADE, related_name="deliveries"
    )
    inbox = models.TextField()
    domain = models.CharField(max_length=255)
    state = models.CharField(
        max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "inbox"], name="federation_delivery_one_per_inbox"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="federation_delivery_due"),
            models.Index(fields=["domain", "state"], name="federation_delivery_domain"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} to {self.inbox} ({self.state})"


class RemoteServer(models.Model):
    """What delivery knows of another server's health: failures in a row, down or up.

    A server that failed ``GLIMPSE_FEDERATION_DOWN_FAILURES`` times in a row over at least
    ``GLIMPSE_FEDERATION_DOWN_AFTER`` seconds is down: one delivery a probe interval gets
    through to it, the others wait for the probe to succeed.
    """

    domain = models.CharField(max_length=255, unique=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    down_since = models.DateTimeField(null=True, blank=True)
    next_probe_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.domain} ({'down' if self.down_since else 'up'})"


class InboxState(models.TextChoices):
    """Where an activity received in an inbox stands."""

    PENDING = "pending"
    DONE = "done"
    IGNORED = "ignored"  # understood and left alone (a type Glimpse does not act on)
    FAILED = "failed"


class InboxActivity(SnowflakeModel):
    """An activity another server sent to an inbox here, kept once by its id.

    The inbox checks the signature and stores the activity; a job processes it. A second copy
    of the same activity (a retry, a shared and a personal inbox) finds the row and stops.
    """

    activity_id = models.URLField(max_length=2048, unique=True)
    actor_uri = models.URLField(max_length=2048)
    kind = models.CharField(max_length=64)  # the activity's type
    body = models.JSONField()
    state = models.CharField(max_length=16, choices=InboxState.choices, default=InboxState.PENDING)
    error = models.TextField(blank=True, default="")
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "received_at"], name="federation_inbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.activity_id} ({self.state})"


class RemoteObject(SnowflakeModel):
    """A post or comment that came from another server, by the id its server gave it.

    The ``Post`` or ``Comment`` is an ordinary one, written by the remote account; this row
    says where it came from, so that later activities (an edit, a delete, a like, a reply)
    find it by that id. Exactly one of ``post`` and ``comment`` is set.
    """

    uri = models.URLField(max_length=2048, unique=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.OneToOneField(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.OneToOneField(
        "posts.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(max_length=2048, blank=True)  # its page on its server
    # The object's own ``updated`` (or ``published``): an older Update than this is stale.
    updated_at = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, comment__isnull=True)
                | models.Q(post__isnull=True, comment__isnull=False),
                name="federation_remote_object_one_target",
            ),
        ]
        # A post's page on its server, pasted in search, finds it without a request.
        indexes = [models.Index(fields=["url"], name="federation_remote_object_url")]

    def __str__(self) -> str:
        return self.uri


class FollowActivity(SnowflakeModel):
    """The id of the ``Follow`` between two accounts, one of them of another server.

    The answer to a follow (``Accept``, ``Reject``) and its ``Undo`` name the ``Follow`` by its
    id: the id the remote server gave it (a follow received), or the one this server did (a
    follow sent).
    """

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uri = models.URLField(max_length=2048)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "followee"], name="federation_follow_activity_one_per_pair"
            ),
        ]
        indexes = [models.Index(fields=["uri"], name="federation_follow_activity_uri")]

    def __str__(self) -> str:
        return self.uri


class AccountAlias(SnowflakeModel):
    """An account a local account moved from: its actor id, published as ``alsoKnownAs``.

    An account on another server moves here only when this account lists it, so that nobody
    can move followers to an account that did not agree.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The other account, as found when the alias was added (shown by its handle).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uri = models.URLField(max_length=2048)  # its actor id
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "uri"], name="federation_alias_one_per_uri"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} also known as {self.uri}"

    def id_shard(self) -> int | None:
        """Keep an account's aliases on its shard."""
        return shard_of(self.user_id) if self.user_id else None


# Instance moderation's row lives with its code; imported here so that Django finds it.
from glimpse.federation.domain_blocks.models import DomainBlock, Severity  # noqa: E402, F401
