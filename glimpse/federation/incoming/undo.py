"""What an ``Undo`` takes back: the activity it embeds, or the one received by that id, and
only when the actor undoing it is the actor who did it."""

from __future__ import annotations

from typing import Any

from glimpse.federation.incoming.registry import Ignored, Incoming, id_of
from glimpse.federation.models import InboxActivity


def undone_activity(incoming: Incoming) -> dict[str, Any]:
    """Return the activity an Undo takes back; raise ``Ignored`` when it is not the sender's."""
    undone = incoming.object
    if not (isinstance(undone, dict) and id_of(undone.get("actor"))):
        undone_id = id_of(undone)
        received = InboxActivity.objects.filter(activity_id=undone_id)
        found = received.values_list("body", flat=True).first() if undone_id else None
        if not isinstance(found, dict):
            raise Ignored("the activity it undoes is unknown here")
        undone = found
    if id_of(undone.get("actor")) != incoming.actor_uri:
        raise Ignored("only the actor of an activity may undo it")
    return undone
