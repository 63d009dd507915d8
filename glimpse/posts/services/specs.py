"""The typed inputs of the post services: items, people tags, places, and "leave as is"."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from glimpse.core.errors import InvalidInput


class Unset(enum.Enum):
    """The type of UNSET: a field an edit leaves as it is."""

    UNSET = "unset"


UNSET = Unset.UNSET


@dataclass(frozen=True)
class PeopleTagSpec:
    """An account to tag on a media item, at a position in 0..1 of the item's frame."""

    username: str
    x: float
    y: float


@dataclass(frozen=True)
class ItemSpec:
    """What the author says about one media item: alt text and people tags.

    ``None`` means: on publishing, the media item's own alt text and no tags; on an edit,
    leave it as it is.
    """

    alt_text: str | None = None
    people_tags: Sequence[PeopleTagSpec] | None = None


@dataclass(frozen=True)
class PlaceSpec:
    """A place by name, found or created on first use."""

    name: str
    address: str = ""
    lat: float | None = None
    lng: float | None = None


# A place given to a post: a spec to find or create, the id of a known place, or none.
PlaceInput = PlaceSpec | int | None


@dataclass
class Problems:
    """Field problems gathered before anything is written, raised together."""

    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        """Record a problem with one field."""
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        """Raise InvalidInput with every problem recorded, if there is one."""
        if self.fields:
            raise InvalidInput(fields=self.fields)
