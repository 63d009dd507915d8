"""The social graph: follows, follow requests to private accounts, blocks and mutes, and the
content the visibility policy hides from everyone but its author.

Every edge is a row with a unique (from, to) pair, indexed both ways, kept on the logical
shard of the account that made it. Rows are only written by ``graph.services``.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel


class _Edge(SnowflakeModel):
    """An edge from one account to another; subclasses name the two ends."""

    created_at = models.DateTimeField(default=timezone.now)

    source_field: ClassVar[str]

    class Meta:
        abstract = True

    def id_shard(self) -> int | None:
        """Keep an edge on the shard of the account that made it."""
        source_id = getattr(self, f"{self.source_field}_id", None)
        return shard_of(source_id) if source_id else None


# The foreign keys make no index of their own: each column leads one of the composite
# indexes below, which serve the same lookups.
def _pair(model: str, source: str, target: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(fields=[source, target], name=f"graph_{model}_unique"),
        models.CheckConstraint(
            condition=~models.Q(**{source: models.F(target)}), name=f"graph_{model}_not_self"
        ),
    ]


class Follow(_Edge):
    """``follower`` follows ``followee`` (approved, when the followee is private)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="following_edges",
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="follower_edges",
    )

    source_field = "follower"

    class Meta:
        constraints: ClassVar = _pair("follow", "follower", "followee")
        indexes: ClassVar = [
            # The unique pair serves "does A follow B"; these serve both lists, newest first.
            models.Index(fields=["followee", "-id"], name="graph_follow_followee_id"),
            models.Index(fields=["follower", "-id"], name="graph_follow_follower_id"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"


class FollowRequest(_Edge):
    """``requester`` asked to follow the private account ``target``."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="follow_requests_sent",
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="follow_requests_received",
    )

    source_field = "requester"

    class Meta:
        constraints: ClassVar = _pair("followrequest", "requester", "target")
        indexes: ClassVar = [
            models.Index(fields=["target", "-id"], name="graph_request_target_id"),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} asks to follow {self.target_id}"


class Block(_Edge):
    """``blocker`` blocked ``blocked``: each is hidden from the other everywhere."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="blocks_made",
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="blocks_received",
    )

    source_field = "blocker"

    class Meta:
        constraints: ClassVar = _pair("block", "blocker", "blocked")
        indexes: ClassVar = [
            models.Index(fields=["blocked", "blocker"], name="graph_block_blocked"),
            models.Index(fields=["blocker", "-id"], name="graph_block_blocker_id"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(_Edge):
    """``muter`` muted ``muted``: its posts and stories leave the muter's feed."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="mutes_made",
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="mutes_received",
    )

    source_field = "muter"

    class Meta:
        constraints: ClassVar = _pair("mute", "muter", "muted")
        indexes: ClassVar = [
            models.Index(fields=["muted", "muter"], name="graph_mute_muted"),
            models.Index(fields=["muter", "-id"], name="graph_mute_muter_id"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"


class CloseFriend(_Edge):
    """``owner`` put ``friend`` on its Close Friends list (who sees close-friends stories)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="close_friends_made",
    )
    friend = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="close_friend_of",
    )

    source_field = "owner"

    class Meta:
        constraints: ClassVar = _pair("closefriend", "owner", "friend")
        indexes: ClassVar = [
            # The unique pair serves the owner's list; this serves "whose lists am I on".
            models.Index(fields=["friend", "owner"], name="graph_closefriend_friend"),
            models.Index(fields=["owner", "-id"], name="graph_closefriend_owner_id"),
        ]

    def __str__(self) -> str:
        return f"{self.friend_id} is a close friend of {self.owner_id}"


class HiddenContent(SnowflakeModel):
    """A post, comment or story seen by its author alone until a moderator looks at it.

    Moderation decides when content is hidden (many reports) and when it is shown again; the
    visibility policy only reads this table, so that it never depends on moderation.
    """

    class Kind(models.TextChoices):
        POST = "post", "Post"
        COMMENT = "comment", "Comment"
        STORY = "story", "Story"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    target_id = models.BigIntegerField()
    hidden_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            # Also the index the policy reads: the hidden ids of one kind.
            models.UniqueConstraint(fields=["kind", "target_id"], name="graph_hidden_target")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id} hidden"


class AccountDomainBlock(SnowflakeModel):
    """``owner`` blocked every account of the server ``domain`` (a host, lowercased).

    The accounts whose ``User.domain`` is exactly this host are hidden from the owner and
    the owner from them, as a block of each would. Kept on the owner's shard.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="domain_blocks_made",
    )
    domain = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            # Also the index the policy reads: the domains one owner blocked.
            models.UniqueConstraint(fields=["owner", "domain"], name="graph_domainblock_unique")
        ]
        indexes: ClassVar = [
            # Who blocked a domain: read when an account of that domain is the viewer.
            models.Index(fields=["domain", "owner"], name="graph_domainblock_domain"),
            models.Index(fields=["owner", "-id"], name="graph_domainblock_owner_id"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} blocks {self.domain}"

    def id_shard(self) -> int | None:
        """Keep a domain block on its owner's shard."""
        return shard_of(self.owner_id) if self.owner_id else None


class LimitedDomain(models.Model):
    """A server whose accounts stay out of the public surfaces for those not following them.

    Federation decides which servers are limited (its instance moderation); the visibility
    policy only reads this table, so that it never depends on federation. A row covers the
    host and its subdomains.
    """

    domain = models.CharField(max_length=255, unique=True)
    limited_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.domain} limited"
