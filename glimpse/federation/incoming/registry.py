"""Which handler acts on which activity: ``@handles("Follow")``, ``@handles("Undo/Follow")``.

An ``Undo`` is routed by the type of what it undoes: its embedded object's ``type``, or,
when it names the object by id only, the type of the activity this server received with that
id. A handler gets an ``Incoming``: the activity, and the account of the actor who signed it
(already checked to be its ``actor``). Handlers are idempotent: an activity processed twice
changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from glimpse.accounts.models import User
from glimpse.federation.models import InboxActivity

JsonObject = dict[str, Any]


class Ignored(Exception):
    """The activity is understood and left alone; the message says why."""


@dataclass(frozen=True)
class Incoming:
    """One activity to act on, and the account of the actor that sent it."""

    activity: JsonObject
    actor: User

    @property
    def actor_uri(self) -> str:
        """Return the id of the actor that sent the activity."""
        return id_of(self.activity.get("actor")) or ""

    @property
    def object(self) -> Any:
        """Return the activity's object as sent: an embedded object, an id, or None."""
        return self.activity.get("object")

    @property
    def object_id(self) -> str | None:
        """Return the id of the activity's object, embedded or named."""
        return id_of(self.object)


Handler = Callable[[Incoming], None]

_handlers: dict[str, Handler] = {}


def handles(*kinds: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of these kinds of activity."""

    def register(handler: Handler) -> Handler:
        for kind in kinds:
            _handlers[kind] = handler
        return handler

    return register


def handler_for(activity: JsonObject) -> Handler | None:
    """Return the handler of an activity, or None when Glimpse does not act on its kind."""
    return _handlers.get(route_of(activity))


def route_of(activity: JsonObject) -> str:
    """Return the name an activity is routed by: its type, or ``Undo/<type undone>``."""
    kind = type_of(activity)
    if kind != "Undo":
        return kind
    undone = activity.get("object")
    if isinstance(undone, dict) and type_of(undone):
        return f"Undo/{type_of(undone)}"
    undone_id = id_of(undone)
    received = (
        InboxActivity.objects.filter(activity_id=undone_id).values_list("kind", flat=True).first()
        if undone_id
        else None
    )
    return f"Undo/{received or 'unknown'}"


def type_of(document: JsonObject) -> str:
    """Return a document's type (the first, when it gives a list), or ""."""
    kind = document.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if isinstance(k, str)), "")
    return kind if isinstance(kind, str) else ""


def id_of(value: Any) -> str | None:
    """Return the id a value names: the string itself, or an embedded object's ``id``."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        found = value.get("id")
        return found if isinstance(found, str) and found else None
    return None
