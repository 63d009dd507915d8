"""The activities this server sends, as pure functions of ids and documents.

Each returns a whole activity with its ``@context``. Ids are stable: the same post, like,
repost or block always gives the same id, so that its ``Undo`` (or a second copy sent by a
job run twice) names the same activity (docs/federation.md, "Activities sent").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from glimpse.federation.notes import JsonObject
from glimpse.federation.vocabulary import CONTEXT, PUBLIC


def create_activity(note: JsonObject, *, activity_id: str) -> JsonObject:
    """Return the Create of a Note, with the Note's author and audience."""
    note = _without_context(note)
    return {
        "@context": CONTEXT,
        "id": activity_id,
        "type": "Create",
        "actor": note["attributedTo"],
        "published": note["published"],
        "to": note["to"],
        "cc": note["cc"],
        "object": note,
    }


def update_activity(note: JsonObject) -> JsonObject:
    """Return the Update of an edited Note; its id names the edit's time."""
    note = _without_context(note)
    edited = note.get("updated") or note["published"]
    return {
        "@context": CONTEXT,
        "id": f"{note['id']}#updates/{edited}",
        "type": "Update",
        "actor": note["attributedTo"],
        "published": edited,
        "to": note["to"],
        "cc": note["cc"],
        "object": note,
    }


def delete_activity(
    *, object_id: str, actor: str, to: list[str], cc: list[str] | None = None
) -> JsonObject:
    """Return the Delete of a Note, which it names by a Tombstone of its id."""
    return {
        "@context": CONTEXT,
        "id": f"{object_id}#delete",
        "type": "Delete",
        "actor": actor,
        "to": to,
        "cc": cc or [],
        "object": {"id": object_id, "type": "Tombstone"},
    }


def like_activity(*, actor: str, object_id: str, key: str) -> JsonObject:
    """Return an account's Like of a post or comment (``key``: ``<post id>`` or
    ``comments/<comment id>``, its id here)."""
    return {
        "@context": CONTEXT,
        "id": f"{actor}#likes/{key}",
        "type": "Like",
        "actor": actor,
        "object": object_id,
    }


def announce_activity(
    *, actor: str, object_id: str, key: int, followers: str, author: str
) -> JsonObject:
    """Return the Announce of a repost (``key``: the repost's id), public, copied to the
    reposter's followers and the post's author."""
    return {
        "@context": CONTEXT,
        "id": f"{actor}#announces/{key}",
        "type": "Announce",
        "actor": actor,
        "to": [PUBLIC],
        "cc": [followers, author],
        "object": object_id,
    }


def block_activity(*, actor: str, blocked: str, key: int) -> JsonObject:
    """Return an account's Block of another (``key``: the blocked account's id here)."""
    return {
        "@context": CONTEXT,
        "id": f"{actor}#blocks/{key}",
        "type": "Block",
        "actor": actor,
        "object": blocked,
    }


def undo_activity(activity: JsonObject) -> JsonObject:
    """Return the Undo of an activity, which it carries whole (without its context)."""
    inner = _without_context(activity)
    undo: JsonObject = {
        "@context": CONTEXT,
        "id": f"{activity['id']}/undo",
        "type": "Undo",
        "actor": activity["actor"],
        "object": inner,
    }
    for audience in ("to", "cc"):
        if audience in activity:
            undo[audience] = activity[audience]
    return undo


def person_update_activity(person: dict[str, Any], *, at: datetime) -> JsonObject:
    """Return the Update of an account's Person document, public; its id names the time."""
    inner = _without_context(person)
    moment = int(at.timestamp() * 1000)
    return {
        "@context": CONTEXT,
        "id": f"{person['id']}#updates/{moment}",
        "type": "Update",
        "actor": person["id"],
        "to": [PUBLIC],
        "cc": [person["followers"]],
        "object": inner,
    }


def actor_delete_activity(*, actor: str) -> JsonObject:
    """Return the Delete of an actor by itself: the account is gone for good."""
    return {
        "@context": CONTEXT,
        "id": f"{actor}#delete",
        "type": "Delete",
        "actor": actor,
        "to": [PUBLIC],
        "object": actor,
    }


def _without_context(document: JsonObject) -> JsonObject:
    # An embedded object shares its activity's context.
    return {key: value for key, value in document.items() if key != "@context"}
