"""The ``Flag`` of a report, as a pure builder: sent by the instance, never by the reporter,
so that the other server's moderators do not learn who reported."""

from __future__ import annotations

from typing import Any

from glimpse.federation.actors import instance_actor_id
from glimpse.federation.vocabulary import CONTEXT


def flag_of(*, report_id: int, objects: list[str], content: str) -> dict[str, Any]:
    """Return the ``Flag`` of a report: the account first, then the posts and comments."""
    me = instance_actor_id()
    return {
        "@context": CONTEXT,
        "id": f"{me}#reports/{report_id}",
        "type": "Flag",
        "actor": me,
        "object": objects,
        "content": content,
    }
