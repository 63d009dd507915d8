"""Notifications: one row per entry a recipient sees, with the actors grouped under it.

An entry is found by its group key, unique per recipient: the likes of one post, the
comment likes of one comment and the new followers of one day share a key (one entry that
gains actors), every comment, reply and mention has its own. ``sort_id`` is a fresh 64-bit
id each time an entry is bumped, so that the list sorts by the latest activity and pages
by ``max_id`` like every other list. Rows are only written by ``notifications.services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.ids import next_id, shard_of
from glimpse.core.models import SnowflakeModel

if TYPE_CHECKING:
    from glimpse.accounts.models import User
    from glimpse.media.models import MediaItem


class Kind(models.TextChoices):
    LIKE = "like", "Likes of your posts"
    COMMENT = "comment", "Comments on your posts"
    REPLY = "reply", "Replies to your comments"
    MENTION = "mention", "Mentions of you"
    FOLLOW = "follow", "New followers"
    FOLLOW_REQUEST = "follow_request", "Follow requests"
    REQUEST_APPROVED = "request_approved", "Accepted follow requests"
    TAGGED = "tagged", "Tags of you in posts"
    COMMENT_LIKE = "comment_like", "Likes of your comments"
    STORY_REACTION = "story_reaction", "Reactions to your stories"
    STORY_REPLY = "story_reply", "Replies to your stories"
    STORY_MENTION = "story_mention", "Mentions of you in stories"
    # Notices from the moderators: they have no actor and cannot be turned off.
    CONTENT_REMOVED = "content_removed", "Your content removed by moderators"
    WARNING = "warning", "Warnings from moderators"
    # A notice from the site itself, with no actor either (docs/drafts.md).
    SCHEDULED_FAILED = "scheduled_failed", "Scheduled posts that could not be published"


NOTICE_KINDS = frozenset({Kind.CONTENT_REMOVED, Kind.WARNING, Kind.SCHEDULED_FAILED})
# The kinds a recipient may switch off or narrow in the preferences.
CHOOSABLE_KINDS = tuple(kind for kind in Kind if kind not in NOTICE_KINDS)


class Level(models.TextChoices):
    OFF = "off", "Off"
    FOLLOWING = "following", "From people you follow"
    EVERYONE = "everyone", "From everyone"


class Notification(SnowflakeModel):
    """An entry of a recipient's activity: a kind, what it is about, and its actors."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="notifications",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    group_key = models.CharField(max_length=80)
    # A deleted post or comment takes its notifications with it.
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "posts.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Stories belong to another app; they are referred to by id only.
    story_id = models.BigIntegerField(null=True, blank=True)
    text = models.CharField(max_length=300, blank=True)
    actor_count = models.PositiveIntegerField(default=0)
    is_read = models.BooleanField(default=False)
    sort_id = models.BigIntegerField(default=next_id)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # Filled by selectors.notifications_hydrate for the recipient.
    shown_actors: list[User]
    visible_actor_count = 0
    cover: MediaItem | None = None

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["recipient", "group_key"], name="notifications_group_unique"
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["recipient", "-sort_id"], name="notifications_list"),
            # The unread count reads this small partial index only.
            models.Index(
                fields=["recipient"],
                condition=models.Q(is_read=False),
                name="notifications_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.actor_count})"

    def id_shard(self) -> int | None:
        """Keep a notification on its recipient's shard."""
        return shard_of(self.recipient_id) if self.recipient_id else None


class NotificationActor(SnowflakeModel):
    """An account that did what a notification tells; the newest id is the latest actor."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, db_index=False, related_name="actors"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["notification", "actor"], name="notifications_actor_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} in {self.notification_id}"


class NotificationPreferences(models.Model):
    """A recipient's level per kind; a kind missing from ``levels`` is ``everyone``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    levels = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"notification preferences of {self.user_id}"
