"""The JSON-LD context every document of this server names: ActivityStreams, the security
vocabulary (keys), and the terms of Mastodon's extension the documents use."""

from __future__ import annotations

from typing import Any

ACTIVITY_STREAMS = "https://www.w3.org/ns/activitystreams"
SECURITY = "https://w3id.org/security/v1"
PUBLIC = ACTIVITY_STREAMS + "#Public"

CONTEXT: list[Any] = [
    ACTIVITY_STREAMS,
    SECURITY,
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "sensitive": "as:sensitive",
        "Hashtag": "as:Hashtag",
        "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
        "movedTo": {"@id": "as:movedTo", "@type": "@id"},
        "toot": "http://joinmastodon.org/ns#",
        "discoverable": "toot:discoverable",
        "indexable": "toot:indexable",
        "featured": {"@id": "toot:featured", "@type": "@id"},
        "blurhash": "toot:blurhash",
        "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
        "schema": "http://schema.org#",
        "PropertyValue": "schema:PropertyValue",
        "value": "schema:value",
    },
]
