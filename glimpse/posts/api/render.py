"""Plain dicts of hydrated posts and comments for the API (no query is made here)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from glimpse.accounts.cards import account_card, account_card_out
from glimpse.accounts.models import User
from glimpse.core.pagination import Page
from glimpse.media.selectors import media_renditions
from glimpse.posts.models import Collection, Comment, Place, Post, PostItem
from glimpse.posts.selectors import post_permalink

T = TypeVar("T")


def account_out(user: User) -> dict[str, Any]:
    """Return an account as posts show it."""
    return account_card_out(account_card(user))


def place_out(place: Place) -> dict[str, Any]:
    """Return a place."""
    return {
        "id": str(place.pk),
        "name": place.name,
        "address": place.address,
        "lat": place.lat,
        "lng": place.lng,
        # Only what the viewer may see; none where the place comes inside a post.
        "post_count": getattr(place, "visible_count", None),
        "distance_km": getattr(place, "distance_km", None),
    }


def item_out(item: PostItem) -> dict[str, Any]:
    """Return one media item of a post with its renditions and visible people tags."""
    media = item.media
    renditions = media_renditions(media)
    shown = [r for r in renditions if r["name"] != "thumb"]
    widest = max(shown, key=lambda r: r["width"], default=None)
    return {
        "id": str(media.pk),
        "kind": media.kind,
        "width": widest["width"] if widest else media.width,
        "height": widest["height"] if widest else media.height,
        "duration": media.duration,
        "blurhash": media.blurhash,
        "dominant_color": media.dominant_color,
        "alt_text": item.alt_text,
        "renditions": renditions,
        "people_tags": [
            {"account": account_out(tag.account), "x": tag.x, "y": tag.y}
            for tag in item.people_tags.all()
        ],
    }


def post_out(post: Post) -> dict[str, Any]:
    """Return a post hydrated by selectors.posts_hydrate."""
    return {
        "id": str(post.pk),
        "author": account_out(post.author),
        "caption": post.caption,
        "media": [item_out(item) for item in post.items.all()],
        "like_count": post.shown_like_count,
        "comment_count": post.comment_count,
        "repost_count": post.repost_count,
        "comments_enabled": post.comments_enabled,
        "hide_like_count": post.hide_like_count,
        "viewer": {
            "liked": post.viewer_liked,
            "saved": post.viewer_saved,
            "reposted": post.viewer_reposted,
            "is_author": post.viewer_is_author,
        },
        "place": place_out(post.place) if post.place else None,
        "hashtags": [link.hashtag.name for link in post.post_hashtags.all()],
        "mentions": [mention.account.username for mention in post.mentions.all()],
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "is_archived": post.is_archived,
        "is_pinned": post.is_pinned,
        "permalink": post_permalink(post=post),
    }


def comment_out(comment: Comment) -> dict[str, Any]:
    """Return a comment hydrated by selectors.comments_hydrate."""
    return {
        "id": str(comment.pk),
        "post_id": str(comment.post_id),
        "parent_id": str(comment.parent_id) if comment.parent_id else None,
        "author": account_out(comment.author),
        "text": comment.text,
        "mentions": [mention.account.username for mention in comment.mentions.all()],
        "like_count": comment.like_count,
        "reply_count": comment.reply_count,
        "is_pinned": comment.is_pinned,
        "created_at": comment.created_at,
        "viewer": {"liked": comment.viewer_liked, "can_delete": comment.viewer_can_delete},
    }


def collection_out(collection: Collection) -> dict[str, Any]:
    """Return a collection annotated by the collection selectors."""
    cover = collection.cover
    first = cover.items.all()[0] if cover is not None and cover.items.all() else None
    return {
        "id": str(collection.pk),
        "name": collection.name,
        "post_count": collection.post_count,
        "cover": item_out(first) if first is not None else None,
        "created_at": collection.created_at,
        "updated_at": collection.updated_at,
    }


def page_out(page: Page[Any], render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Return a list page as `{"items", "next_max_id"}`."""
    return {
        "items": [render(item) for item in page.items],
        "next_max_id": str(page.next_max_id) if page.next_max_id else None,
    }


def posts_out(posts: Sequence[Post]) -> list[dict[str, Any]]:
    """Return hydrated posts as dicts."""
    return [post_out(post) for post in posts]
