"""Content negotiation: whether a request asks for ActivityPub JSON rather than a page, and
the answer that carries an ActivityPub document.

Servers ask for ``application/activity+json`` or ``application/ld+json`` (with or without the
ActivityStreams profile); browsers ask for ``text/html`` and accept anything else at a lower
weight. The JSON is chosen only when a request names it and ranks it above HTML: named
HTML wins a tie, a bare wildcard loses one.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from glimpse.federation.vocabulary import ACTIVITY_STREAMS

ACTIVITY_CONTENT_TYPE = "application/activity+json; charset=utf-8"
ACTIVITY_TYPES = frozenset({"application/activity+json", "application/ld+json"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
WILDCARDS = frozenset({"*/*", "text/*"})


def wants_activity_json(request: HttpRequest) -> bool:
    """Tell whether the request's Accept header prefers an ActivityPub document to HTML."""
    weights = accepted_weights(request.headers.get("Accept", ""))
    activity = max((weights.get(kind, 0.0) for kind in ACTIVITY_TYPES), default=0.0)
    html = max((weights.get(kind, 0.0) for kind in HTML_TYPES), default=0.0)
    wildcard = max((weights.get(kind, 0.0) for kind in WILDCARDS), default=0.0)
    return activity > 0 and activity > html and activity >= wildcard


def wants_html(request: HttpRequest) -> bool:
    """Tell whether the request names HTML and does not prefer an ActivityPub document."""
    weights = accepted_weights(request.headers.get("Accept", ""))
    html = max((weights.get(kind, 0.0) for kind in HTML_TYPES), default=0.0)
    return html > 0 and not wants_activity_json(request)


def accepted_weights(header: str) -> dict[str, float]:
    """Return each media range of an Accept header with its weight (``q``, 1 when unsaid).

    JSON-LD counts only with the ActivityStreams profile or none; other parameters (a
    charset) are ignored; a range
    named twice keeps its highest weight; a malformed weight counts as 0 (not acceptable).
    """
    weights: dict[str, float] = {}
    for item in _split_unquoted(header, ","):
        kind, *params = (part.strip() for part in _split_unquoted(item, ";"))
        kind = kind.lower()
        if "/" not in kind:
            continue
        weight = 1.0
        profile = ""
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                weight = _weight(value.strip())
            elif name.strip().lower() == "profile":
                profile = value.strip().strip('"')
        if kind == "application/ld+json" and profile not in ("", ACTIVITY_STREAMS):
            continue  # JSON-LD of another vocabulary is not an ActivityPub document
        weights[kind] = max(weights.get(kind, 0.0), weight)
    return weights


def activity_response(document: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """Answer an ActivityPub document, marked as varying with the Accept header."""
    response = HttpResponse(
        orjson.dumps(document), content_type=ACTIVITY_CONTENT_TYPE, status=status
    )
    patch_vary_headers(response, ["Accept"])
    return response


def _split_unquoted(text: str, separator: str) -> list[str]:
    # Split outside quotes only: a profile's quoted value may hold a comma or a semicolon.
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _weight(value: str) -> float:
    try:
        weight = float(value)
    except ValueError:
        return 0.0
    if not 0.0 <= weight <= 1.0:  # also refuses nan
        return 0.0
    return weight
