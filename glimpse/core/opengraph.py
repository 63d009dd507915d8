"""Link previews: the Open Graph and Twitter card tags of a public page.

A view that shows something anyone may see (a public post, a public profile) puts an
``OpenGraph`` in its context as ``og``; the page's head (templates/partials/app_head.html)
then writes the tags. Pages of private accounts, archived posts and hidden content get none,
so that a link shared beyond those who may see it previews nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpResponseRedirect

REDIRECT_CACHE_SECONDS = 300


@dataclass(frozen=True)
class OpenGraph:
    """What a link preview shows: a title, a description, a picture, the canonical URL."""

    type: str  # "article" for a post, "profile" for an account
    title: str
    description: str
    url: str  # absolute
    image: str | None = None  # absolute
    image_width: int | None = None
    image_height: int | None = None
    image_alt: str = ""
    card: str = "summary_large_image"  # the Twitter card: a large picture, or "summary"


def absolute_url(url: str) -> str:
    """Return a URL made absolute against the site's address (an absolute one is kept)."""
    return urljoin(settings.GLIMPSE_SITE_URL.rstrip("/") + "/", url)


def excerpt(text: str, limit: int = 200) -> str:
    """Return the start of a text on one line, cut on a word with an ellipsis when long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def picture_redirect(url: str) -> HttpResponseRedirect:
    """Answer a redirect from a preview's lasting picture address to the picture's signed
    one, which expires: caches may keep the redirect for less than the signature lives."""
    response = HttpResponseRedirect(url)
    seconds = max(1, min(REDIRECT_CACHE_SECONDS, settings.GLIMPSE_MEDIA_URL_SECONDS // 2))
    response["Cache-Control"] = f"public, max-age={seconds}"
    return response
