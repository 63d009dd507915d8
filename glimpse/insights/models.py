"""Insights: raw counting events, and the daily roll-ups that reading insights sums.

Impressions arrive in batches from the buffer (see ``buffer``), never one write per view:
``ImpressionTally`` holds how many times a post was shown per hour and source, and
``PostViewer`` one row per post, viewer and day, which makes reach (distinct accounts) an
exact count. The high-volume rows use the default auto-increment key rather than snowflake
ids: they are never shown to anyone and need no id store round trip each. ``PostDay`` and
``AccountDay`` are recomputed from the raw rows by the nightly roll-up; every day is in UTC.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class Source(models.TextChoices):
    FEED = "feed", "Home feed"
    EXPLORE = "explore", "Explore"
    HASHTAG = "hashtag", "Hashtags"
    PLACE = "place", "Places"
    PROFILE = "profile", "Profile"
    POST = "post", "Post page"
    REELS = "reels", "Reels"


class ImpressionTally(models.Model):
    """How many times a post was shown in one hour from one source, from one flushed batch."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    # The author is kept on the row so that an account's numbers need no join.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    hour = models.DateTimeField()  # the start of the UTC hour of the views
    source = models.CharField(max_length=10, choices=Source.choices)
    count = models.PositiveIntegerField()
    # Of ``count``, the views by accounts that followed the author when the batch was flushed.
    follower_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["post", "hour"], name="insights_tally_post"),
            models.Index(fields=["author", "hour"], name="insights_tally_author"),
            models.Index(fields=["hour"], name="insights_tally_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.count} views of {self.post_id} from {self.source} at {self.hour}"


class PostViewer(models.Model):
    """An account that saw a post on a day (UTC): reach is the count of these rows."""

    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    day = models.DateField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["post", "viewer", "day"], name="insights_postviewer_unique"
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["author", "day"], name="insights_viewer_author"),
            models.Index(fields=["day"], name="insights_viewer_day"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} saw {self.post_id} on {self.day}"


class FlushedBatch(models.Model):
    """A buffer batch already counted: a batch retried after a crash is not counted twice."""

    batch = models.CharField(max_length=40, primary_key=True)
    flushed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.batch


class ProfileVisit(models.Model):
    """A visit to the author's profile from one of their posts (at most one per visitor,
    post and day)."""

    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["post", "visitor", "day"], name="insights_profilevisit_unique"
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["visitor", "author", "-created_at"], name="insights_visit_recent"),
            models.Index(fields=["day"], name="insights_visit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor_id} visited {self.author_id} from {self.post_id}"


class FollowEvent(models.Model):
    """A follow gained or lost by ``followee``; a follow may be credited to a post."""

    class Kind(models.TextChoices):
        FOLLOW = "follow", "Follow"
        UNFOLLOW = "unfollow", "Unfollow"

    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["followee", "created_at"], name="insights_follow_followee"),
            models.Index(fields=["created_at"], name="insights_follow_time"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} {self.kind} {self.followee_id}"


class ShareEvent(models.Model):
    """Someone copied or sent the link of a post."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["created_at"], name="insights_share_time")]

    def __str__(self) -> str:
        return f"{self.sharer_id} shared {self.post_id}"


class PostDay(models.Model):
    """A post's numbers on one UTC day, recomputed from the raw rows by the roll-up."""

    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    day = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    reach = models.PositiveIntegerField(default=0)
    likes = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    saves = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    profile_visits = models.PositiveIntegerField(default=0)
    follows = models.PositiveIntegerField(default=0)
    sources = models.JSONField(default=dict)  # {"feed": 12, "explore": 3, ...}

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "day"], name="insights_postday_unique")
        ]
        indexes: ClassVar = [
            models.Index(fields=["author", "day"], name="insights_postday_author"),
            models.Index(fields=["day"], name="insights_postday_day"),
        ]

    def __str__(self) -> str:
        return f"post {self.post_id} on {self.day}"


class AccountDay(models.Model):
    """An account's numbers on one UTC day, recomputed from the raw rows by the roll-up."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    day = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    reach = models.PositiveIntegerField(default=0)
    likes = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    saves = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    profile_visits = models.PositiveIntegerField(default=0)
    follows = models.PositiveIntegerField(default=0)
    followers_gained = models.PositiveIntegerField(default=0)
    followers_lost = models.PositiveIntegerField(default=0)
    likes_given = models.PositiveIntegerField(default=0)
    comments_made = models.PositiveIntegerField(default=0)
    sources = models.JSONField(default=dict)
    follower_hours = models.JSONField(default=list)  # 24 counts, by UTC hour of the day

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["account", "day"], name="insights_accountday_unique")
        ]
        indexes: ClassVar = [models.Index(fields=["day"], name="insights_accountday_day")]

    def __str__(self) -> str:
        return f"account {self.account_id} on {self.day}"


class RolledDay(models.Model):
    """A UTC day whose roll-ups are complete; later days are read live from the raw rows."""

    day = models.DateField(primary_key=True)
    rolled_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.day)
