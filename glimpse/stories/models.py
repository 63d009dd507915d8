"""Stories (24 hours, or kept in highlights), who saw them, reactions, replies, highlights.

Every row is written by ``stories.services`` and read through ``stories.selectors``, which
always ask the QuerySet methods below (the story rule of ``stories.visibility``) and
``expires_at > now``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from glimpse.accounts.viewers import viewer_or_none
from glimpse.core.ids import shard_of
from glimpse.core.models import SnowflakeModel
from glimpse.graph.visibility import accounts_unmuted_for
from glimpse.media.models import MediaItem
from glimpse.posts.models import Place
from glimpse.stories.visibility import highlights_visible_to, stories_visible_to

if TYPE_CHECKING:
    from glimpse.accounts.models import User


class StoryQuerySet(models.QuerySet["Story"]):
    """Stories, read through the visibility policy (``glimpse.stories.visibility``)."""

    def visible_to(self, viewer: User | None) -> StoryQuerySet:
        """Keep the stories the viewer may see by the story rule, live or not."""
        return self.filter(stories_visible_to(viewer))

    def live_to(self, viewer: User | None, *, now: datetime | None = None) -> StoryQuerySet:
        """Keep the live stories the viewer may see (live at ``now``, by default the time
        now)."""
        return self.filter(stories_visible_to(viewer), expires_at__gt=now or timezone.now())

    def shown_to(self, viewer: User | None) -> StoryQuerySet:
        """Keep the stories the viewer may open: live or kept in a highlight, by the story
        rule; its own stories always."""
        kept = Exists(HighlightItem.objects.filter(story=OuterRef("pk")))
        shown = stories_visible_to(viewer) & (Q(expires_at__gt=timezone.now()) | Q(kept))
        if viewer_or_none(viewer) is not None:
            shown |= Q(author=viewer)
        return self.filter(shown)

    def unmuted_for(self, viewer: User | None) -> StoryQuerySet:
        """Drop the stories of the accounts the viewer muted (the tray only)."""
        return self.filter(accounts_unmuted_for(viewer, account="author"))


class HighlightQuerySet(models.QuerySet["Highlight"]):
    """Highlights, read through the visibility policy (``glimpse.stories.visibility``)."""

    def visible_to(self, viewer: User | None) -> HighlightQuerySet:
        """Keep the highlights of accounts whose content the viewer may see."""
        return self.filter(highlights_visible_to(viewer))


class Story(SnowflakeModel):
    """One photo or video shown for a day to the author's audience."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone"
        CLOSE_FRIENDS = "close_friends"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="stories"
    )
    # A media item belongs to one post or one story; deleting the story deletes it.
    media = models.OneToOneField(MediaItem, on_delete=models.CASCADE, related_name="story")
    audience = models.CharField(max_length=16, choices=Audience.choices, default="everyone")
    caption = models.CharField(max_length=2200, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Set by the periodic job once the story expired: it then lives on in the archive only.
    archived = models.BooleanField(default=False)

    objects = StoryQuerySet.as_manager()

    # The viewer's state, set by selectors.stories_hydrate.
    viewer_seen = False
    viewer_reaction: str | None = None
    viewer_is_author = False

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["author", "expires_at"], name="stories_author_expires"),
            models.Index(fields=["archived", "expires_at"], name="stories_archived_expires"),
        ]

    def __str__(self) -> str:
        return f"story {self.pk} by {self.author_id}"

    def id_shard(self) -> int | None:
        """Keep a story on its author's logical shard."""
        return shard_of(self.author_id) if self.author_id else None


class StoryView(SnowflakeModel):
    """``viewer`` saw ``story`` (once, whatever the number of times it was opened)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, db_index=False, related_name="views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_views"
    )
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["story", "viewer"], name="stories_view_unique")
        ]
        indexes: ClassVar = [models.Index(fields=["story", "-id"], name="stories_view_story_id")]


class StoryReaction(SnowflakeModel):
    """One emoji of ``account`` on ``story``; reacting again replaces it."""

    EMOJIS: ClassVar[tuple[str, ...]] = (
        "\u2764\ufe0f",
        "\U0001f602",
        "\U0001f62e",
        "\U0001f622",
        "\U0001f44f",
        "\U0001f525",
        "\U0001f60d",
        "\U0001f4af",
    )

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, db_index=False, related_name="reactions"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_reactions"
    )
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["story", "account"], name="stories_reaction_unique")
        ]
        indexes: ClassVar = [
            models.Index(fields=["story", "-id"], name="stories_reaction_story_id")
        ]


class StoryReply(SnowflakeModel):
    """A private text reply of ``author`` to ``story``, listed to the story's author."""

    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, db_index=False, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_replies"
    )
    text = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["story", "-id"], name="stories_reply_story_id")]


class StorySticker(SnowflakeModel):
    """Something drawn over a story where its author put it: text, or a link to an account,
    a hashtag, a place or a web page. Kept as data, never burnt into the picture, so that
    the viewer draws it as a live link."""

    class Kind(models.TextChoices):
        TEXT = "text"
        MENTION = "mention"
        HASHTAG = "hashtag"
        PLACE = "place"
        LINK = "link"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="stickers")
    position = models.PositiveSmallIntegerField(default=0)  # drawing order, last on top
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The sticker's centre, in fractions of the 9:16 frame (0..1 from the left and the top).
    x = models.FloatField()
    y = models.FloatField()
    # A text sticker's words; a hashtag as written; a place's name; a link's label.
    text = models.CharField(max_length=200, blank=True)
    style = models.CharField(max_length=12, blank=True)  # stickers.STYLES, text only
    color = models.CharField(max_length=8, blank=True)  # stickers.COLORS, text only
    tag = models.CharField(max_length=100, blank=True)  # a hashtag's key, for its page
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    url = models.URLField(max_length=2000, blank=True)

    # Set by selectors.stories_hydrate: whether the viewer may see the mentioned account.
    account_visible = False

    class Meta:
        indexes: ClassVar = [models.Index(fields=["story", "position"], name="stories_sticker_pos")]

    def __str__(self) -> str:
        return f"{self.kind} sticker on story {self.story_id}"


class Highlight(SnowflakeModel):
    """A named, ordered collection of the owner's stories, kept on the profile until removed."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="highlights",
    )
    title = models.CharField(max_length=30)
    # None means "the first story": a deleted cover falls back to it by itself.
    cover = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = HighlightQuerySet.as_manager()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["owner", "id"], name="stories_highlight_owner")]

    def __str__(self) -> str:
        return f"highlight {self.title!r} of {self.owner_id}"

    def id_shard(self) -> int | None:
        """Keep a highlight on its owner's logical shard."""
        return shard_of(self.owner_id) if self.owner_id else None


class HighlightItem(SnowflakeModel):
    """A story's place in a highlight."""

    highlight = models.ForeignKey(
        Highlight, on_delete=models.CASCADE, db_index=False, related_name="items"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="highlight_items")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["highlight", "story"], name="stories_hitem_unique")
        ]
        indexes: ClassVar = [
            models.Index(fields=["highlight", "position"], name="stories_hitem_position")
        ]
