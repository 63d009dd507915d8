"""The edit stored on a media item: a filter, its strength and tone adjustments, validated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from glimpse.core.errors import InvalidInput
from glimpse.media.filters.recipes import FILTERS

# In display order. Signed adjustments move either way from 0; the others only add an effect.
ADJUSTMENTS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "brightness": (-100, 100),
        "contrast": (-100, 100),
        "saturation": (-100, 100),
        "warmth": (-100, 100),
        "fade": (0, 100),
        "highlights": (-100, 100),
        "shadows": (-100, 100),
        "vignette": (0, 100),
        "sharpen": (0, 100),
    }
)

_KEYS = ("filter", "strength", "adjustments")
_NO_FILTER = "normal"


@dataclass(frozen=True)
class Edit:
    """A non-destructive edit: applied to the kept original whenever renditions are made.

    Instances are canonical (no "normal" filter, adjustments sorted, zeros dropped), so two
    edits that look the same compare and hash the same, and can key a cache.
    """

    filter: str | None = None
    strength: int = 100
    adjustments: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        errors = _problems(self.filter, self.strength, self.adjustments)
        if errors:
            raise InvalidInput(fields=errors)
        if self.filter == _NO_FILTER:
            object.__setattr__(self, "filter", None)
        canonical = tuple(sorted((name, value) for name, value in self.adjustments if value))
        object.__setattr__(self, "adjustments", canonical)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Edit:
        """Build an edit from its JSON form; raise InvalidInput naming every bad field."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise InvalidInput(
                fields={"edit": ["Send an object with filter, strength, adjustments."]}
            )
        errors = {str(key): ["Unknown field."] for key in data if key not in _KEYS}
        raw = data.get("adjustments")
        raw = {} if raw is None else raw
        pairs: tuple[tuple[str, Any], ...] = ()
        if isinstance(raw, Mapping):
            pairs = tuple(raw.items())
        else:
            errors["adjustments"] = ["Send an object of adjustment names and whole numbers."]
        strength = data.get("strength", 100)
        errors.update(_problems(data.get("filter"), strength, pairs))
        if errors:
            raise InvalidInput(fields=errors)
        return cls(filter=data.get("filter"), strength=strength, adjustments=pairs)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form stored on the media item."""
        return {
            "filter": self.filter,
            "strength": self.strength,
            "adjustments": dict(self.adjustments),
        }

    @property
    def is_identity(self) -> bool:
        """Tell whether this edit leaves every image exactly as it is."""
        return (self.filter is None or self.strength == 0) and not self.adjustments


def _problems(filter: Any, strength: Any, adjustments: Iterable[Any]) -> dict[str, list[str]]:
    """Return {field: [messages]} for every invalid part of an edit."""
    errors: dict[str, list[str]] = {}
    if filter is not None and (not isinstance(filter, str) or filter not in FILTERS):
        errors["filter"] = [f"Unknown filter. Choose one of: {', '.join(FILTERS)}."]
    if not _is_int(strength):
        errors["strength"] = ["Send a whole number from 0 to 100."]
    elif not 0 <= strength <= 100:
        errors["strength"] = ["Send a value from 0 to 100."]
    seen: set[str] = set()
    for pair in adjustments:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            errors["adjustments"] = ["Send (name, value) pairs."]
            continue
        name, value = pair
        field = f"adjustments.{name}"
        if not isinstance(name, str) or name not in ADJUSTMENTS:
            errors[field] = [f"Unknown adjustment. Choose from: {', '.join(ADJUSTMENTS)}."]
        elif name in seen:
            errors[field] = ["Given more than once."]
        elif not _is_int(value):
            errors[field] = ["Send a whole number."]
        elif not ADJUSTMENTS[name][0] <= value <= ADJUSTMENTS[name][1]:
            low, high = ADJUSTMENTS[name]
            errors[field] = [f"Send a value from {low} to {high}."]
        seen.add(str(name))
    return errors


def _is_int(value: Any) -> bool:
    # bool is a subclass of int, but true/false in JSON is a client bug, not a number.
    return isinstance(value, int) and not isinstance(value, bool)
