"""The activities of a follow between servers, as pure builders of JSON objects.

A ``Follow`` is always embedded whole in the ``Accept``, ``Reject`` or ``Undo`` that answers or
takes it back: Mastodon, Pixelfed and GoToSocial all match it by its id, and some by its
``actor`` and ``object`` when they no longer know the id.
"""

from __future__ import annotations

import hashlib
from typing import Any

from glimpse.federation.vocabulary import CONTEXT

JsonObject = dict[str, Any]


def follow_of(*, follow_id: str, follower: str, followee: str) -> JsonObject:
    """Return the ``Follow`` of ``followee`` by ``follower`` (both actor ids)."""
    return {"id": follow_id, "type": "Follow", "actor": follower, "object": followee}


def answer_of(follow: JsonObject, *, accepted: bool) -> JsonObject:
    """Return the followee's ``Accept`` (or ``Reject``) of a ``Follow``."""
    kind = "Accept" if accepted else "Reject"
    return {
        "@context": CONTEXT,
        "id": f"{follow['object']}#{kind.lower()}s/follows/{_tail(follow['id'])}",
        "type": kind,
        "actor": follow["object"],
        "object": follow,
    }


def undo_of(follow: JsonObject) -> JsonObject:
    """Return the follower's ``Undo`` of its ``Follow``."""
    return {
        "@context": CONTEXT,
        "id": f"{follow['actor']}#follows/undo/{_tail(follow['id'])}",
        "type": "Undo",
        "actor": follow["actor"],
        "object": follow,
    }


def with_context(follow: JsonObject) -> JsonObject:
    """Return a ``Follow`` ready to send on its own."""
    return {"@context": CONTEXT, **follow}


def _tail(follow_id: str) -> str:
    """Return a short, stable token of a Follow's id, to make ids for what answers it."""
    return hashlib.sha256(follow_id.encode()).hexdigest()[:16]
