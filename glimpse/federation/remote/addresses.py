"""The ActivityPub document behind an address a person pasted: an actor's or a Note's id, or
the page a server shows for it (``https://host/@name/123``, ``https://host/p/name/123``).

The address is asked for as ActivityPub (content negotiation: Mastodon and Pixelfed answer
the document on the page's address, GoToSocial redirects to it). A server that answers with
its web page anyway is read for the page's ``<link rel="alternate">`` to the document, on
the same server, which is then fetched.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from glimpse.federation.fetch import ACTIVITY_ACCEPT, DOCUMENT_TYPES, FetchRefused, safe_request
from glimpse.federation.remote.resolve import fetch_document, instance_signer, json_document
from glimpse.federation.signatures import same_origin

_PAGE_TYPES = ("text/html", "application/xhtml+xml")
# The types a page's alternate link names an ActivityPub document with.
_ACTIVITY_LINK_TYPES = ("application/activity+json", "application/ld+json")


def document_at(address: str) -> tuple[dict[str, Any], str]:
    """Fetch the ActivityPub document an address names, signed by the instance's actor;
    return it and the address it finally came from.

    Raises ``FetchRefused``: with the answer's status when the server answered with
    something that is no such document.
    """
    result = safe_request(
        "GET",
        address,
        accept=ACTIVITY_ACCEPT,
        allowed_types=(*DOCUMENT_TYPES, *_PAGE_TYPES),
        sign=instance_signer,
    )
    if not (result.ok and result.content_type in _PAGE_TYPES):
        return json_document(result), result.url
    link = alternate_link(result.body.decode("utf-8", "replace"), base=result.url)
    # A page speaks for its own server's objects only.
    if link is None or not same_origin(link, result.url):
        raise FetchRefused(
            "the page names no ActivityPub document", url=result.url, status=result.status
        )
    return fetch_document(link)


def alternate_link(page: str, *, base: str) -> str | None:
    """Return the address of the ActivityPub document a web page links to, or None."""
    finder = _AlternateLink()
    finder.feed(page)
    finder.close()
    return urljoin(base, finder.href) if finder.href else None


class _AlternateLink(HTMLParser):
    """Finds the first ``<link rel="alternate">`` of an ActivityPub type."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the first alternate link to an ActivityPub document."""
        if tag != "link" or self.href:
            return
        found = {name: value or "" for name, value in attrs}
        rels = found.get("rel", "").lower().split()
        kind = found.get("type", "").lower()
        if "alternate" in rels and kind.startswith(_ACTIVITY_LINK_TYPES):
            self.href = found.get("href", "").strip()
