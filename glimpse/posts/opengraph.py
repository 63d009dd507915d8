"""The link preview of a post's page: only for a post anyone may see.

A post of a private account, an archived post and a post hidden by moderation are not
visible to an anonymous viewer, so they get no preview, whoever opens the page.
"""

from __future__ import annotations

from django.urls import reverse

from glimpse.core.opengraph import OpenGraph, absolute_url, excerpt
from glimpse.media.presenters import MediaView
from glimpse.media.selectors import Rendition
from glimpse.posts import selectors
from glimpse.posts.presenters import PostView

PREVIEW_WIDTHS = ("1080", "640")  # the largest JPEG a preview can take


def post_open_graph(*, view: PostView) -> OpenGraph | None:
    """Return the link preview of a post, or None when the post is not public."""
    if not selectors.post_is_public(post_id=view.id):
        return None
    author = view.author
    caption = excerpt(view.caption)
    media = view.items[0].media if view.items else None
    rendition = _preview(media) if media else None
    # Previews are kept for long: they get the post's lasting picture address (a redirect to
    # the picture's signed URL of the moment), never a signed URL, which expires.
    image = reverse("posts:preview_image", args=[view.id]) if media else None
    return OpenGraph(
        type="article",
        title=f"{author.name} (@{author.username}) on Glimpse",
        description=caption or f"A post by @{author.username} on Glimpse.",
        url=view.permalink,
        image=absolute_url(image) if image else None,
        image_width=rendition["width"] if rendition else None,
        image_height=rendition["height"] if rendition else None,
        image_alt=excerpt(media.alt_text) if media else "",
    )


def post_preview_image_url(*, view: PostView) -> str | None:
    """Return the current (signed, expiring) address of a post's preview picture, if any."""
    media = view.items[0].media if view.items else None
    if media is None:
        return None
    rendition = _preview(media)
    return str(rendition["url"]) if rendition else media.picture(PREVIEW_WIDTHS[0])


def _preview(media: MediaView) -> Rendition | None:
    """Return the widest JPEG picture of an item (a video's poster), which every preview reads."""
    prefix = "poster-" if media.is_video else ""
    for width in PREVIEW_WIDTHS:
        if found := media.rendition(prefix + width, "jpeg"):
            return found
    return None
