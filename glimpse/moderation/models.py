"""Moderation: reports, one case per reported target, and the audit log.

A case gathers every report on one target (a post, comment, story, account or direct
message) so that the queue shows each target once. Its state says whether it waits for a
moderator (``open``), is hidden from everyone but its author until one looks (``hidden``, by
the report threshold; never a message), or was handled (``resolved``). Rows are only
written by ``moderation.services``. The visibility policy does not read cases: hiding goes
through ``graph.services``, and the blocklist of removed images belongs to media.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from glimpse.core.models import SnowflakeModel


class TargetType(models.TextChoices):
    POST = "post", "Post"
    COMMENT = "comment", "Comment"
    STORY = "story", "Story"
    ACCOUNT = "account", "Account"
    MESSAGE = "message", "Message"


class Reason(models.TextChoices):
    SPAM = "spam", "Spam"
    NUDITY = "nudity", "Nudity or sexual activity"
    VIOLENCE = "violence", "Violence"
    HARASSMENT = "harassment", "Bullying or harassment"
    HATE = "hate", "Hate speech or symbols"
    SELF_HARM = "self_harm", "Suicide or self-injury"
    INTELLECTUAL_PROPERTY = "intellectual_property", "Intellectual property violation"
    SCAM = "scam", "Scam or fraud"
    OTHER = "other", "Something else"


class Case(SnowflakeModel):
    """Every report on one target, and where the target stands with the moderators."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        HIDDEN = "hidden", "Hidden until reviewed"
        RESOLVED = "resolved", "Resolved"

    target_type = models.CharField(max_length=8, choices=TargetType.choices)
    target_id = models.BigIntegerField()
    # The account the target belongs to (the account itself for an account report).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    # A copy of the target's text, kept for the audit once the target is removed.
    excerpt = models.CharField(max_length=300, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    resolution = models.CharField(max_length=16, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # When a moderator last looked: reports before it no longer count towards hiding.
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions: ClassVar = [("moderate", "Can handle reports and act on content and accounts")]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"], name="moderation_case_target"
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["state", "-updated_at"], name="moderation_case_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_id} ({self.state})"


class Report(SnowflakeModel):
    """One account's report of one target, with a reason and a note; one per reporter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    target_type = models.CharField(max_length=8, choices=TargetType.choices)
    target_id = models.BigIntegerField()
    reason = models.CharField(max_length=24, choices=Reason.choices)
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"], name="moderation_report_once"
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["case", "created_at"], name="moderation_report_case")
        ]

    def __str__(self) -> str:
        return f"{self.reason} report of {self.target_type} {self.target_id} by {self.reporter_id}"


class ModerationAction(SnowflakeModel):
    """One entry of the audit log: who did what to which target, and why. Never changed."""

    class Kind(models.TextChoices):
        DISMISS = "dismiss", "Dismiss"
        REMOVE = "remove", "Remove the content"
        WARN = "warn", "Warn the account"
        SUSPEND = "suspend", "Suspend the account"
        BAN = "ban", "Ban the account"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    action = models.CharField(max_length=8, choices=Kind.choices)
    target_type = models.CharField(max_length=8, choices=TargetType.choices)
    target_id = models.BigIntegerField()
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=1000)
    duration = models.DurationField(null=True, blank=True)  # suspensions only
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["target_type", "target_id"], name="moderation_action_target")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type} {self.target_id} by {self.moderator_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert the entry; an audit log is append-only, so changing one is refused."""
        if not self._state.adding:
            raise ValueError("Moderation actions are append-only.")
        super().save(*args, **kwargs)
