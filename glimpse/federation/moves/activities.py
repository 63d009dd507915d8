"""The ``Move`` activity, as a pure builder of a JSON object."""

from __future__ import annotations

import secrets
from typing import Any

from glimpse.federation.vocabulary import CONTEXT


def move_of(*, actor: str, target: str) -> dict[str, Any]:
    """Return the ``Move`` of the account ``actor`` to the account ``target`` (actor ids)."""
    return {
        "@context": CONTEXT,
        "id": f"{actor}#moves/{secrets.token_hex(8)}",
        "type": "Move",
        "actor": actor,
        "object": actor,
        "target": target,
    }
