"""What posts do when their media change (subscribed in ``PostsConfig``)."""

from __future__ import annotations

from glimpse.core.events import MediaRendered
from glimpse.posts.cards import post_cards_forget_for_media_on_commit


def media_rendered(event: MediaRendered) -> None:
    """Drop the card of the post showing a media item whose new renditions are out."""
    post_cards_forget_for_media_on_commit(event.media_id)
