"""A place a post was made at: found or created on first use, searched by name and distance."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.db.models import OuterRef
from django.utils import timezone

from glimpse.core.models import SnowflakeModel
from glimpse.core.queries import first_found
from glimpse.posts.models.post import Post

if TYPE_CHECKING:
    from glimpse.accounts.models import User


class PlaceQuerySet(models.QuerySet["Place"]):
    """Places, read through the visibility policy (``glimpse.posts.visibility``)."""

    def visible_to(self, viewer: User | None) -> PlaceQuerySet:
        """Keep the places where at least one post lists show the viewer was made: any
        other (one first used by a private account, say) answers like an unknown one."""
        return self.filter(
            first_found(Post.objects.listed_to(viewer).filter(place=OuterRef("pk")).order_by("-pk"))
        )


class Place(SnowflakeModel):
    """A named place with an optional address and position."""

    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    # Case-folded name, what searches match against.
    search_name = models.CharField(max_length=200, db_index=True)
    # Folded name, address and position rounded to about 10 m: one row per real place.
    key = models.CharField(max_length=600, unique=True)
    post_count = models.PositiveIntegerField(default=0)  # live (not archived) posts
    created_at = models.DateTimeField(default=timezone.now)

    objects = PlaceQuerySet.as_manager()

    # Set by selectors.place_search near a position.
    distance_km: float | None = None

    class Meta:
        indexes: ClassVar = [models.Index(fields=["lat", "lng"])]

    def __str__(self) -> str:
        return self.name
