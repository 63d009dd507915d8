"""Notifications as the API and the pages show them (no query is made here)."""

from __future__ import annotations

from typing import Any

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from glimpse.media.selectors import media_renditions
from glimpse.notifications.models import NOTICE_KINDS, Kind, Notification
from glimpse.posts.api.render import account_out

EXCERPT = 80

_PHRASES = {
    Kind.LIKE: "liked your post.",
    Kind.COMMENT: "commented: {excerpt}",
    Kind.REPLY: "replied to your comment: {excerpt}",
    Kind.FOLLOW: "started following you.",
    Kind.FOLLOW_REQUEST: "asked to follow you.",
    Kind.REQUEST_APPROVED: "accepted your follow request.",
    Kind.TAGGED: "tagged you in a post.",
    Kind.COMMENT_LIKE: "liked your comment: {excerpt}",
    Kind.STORY_REACTION: "reacted to your story: {excerpt}",
    Kind.STORY_REPLY: "replied to your story: {excerpt}",
}


def notification_out(entry: Notification) -> dict[str, Any]:
    """Return a notification hydrated by selectors.notifications_hydrate."""
    comment = entry.comment
    return {
        "id": str(entry.pk),
        "kind": entry.kind,
        "actors": [account_out(actor) for actor in entry.shown_actors],
        "actor_count": entry.visible_actor_count,
        "post": (
            {"id": str(entry.post_id), "thumbnail": thumbnail_url(entry.cover)}
            if entry.post_id
            else None
        ),
        "comment": (
            {"id": str(comment.pk), "text": excerpt(comment.text)} if comment is not None else None
        ),
        "text": phrase(entry)
        if entry.kind in NOTICE_KINDS
        else f"{actors_label(entry)} {phrase(entry)}",
        "is_read": entry.is_read,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "cursor": str(entry.sort_id),
    }


def actors_label(entry: Notification) -> str:
    """Return who did it: "ana", "ana and bo", "ana and 12 others"."""
    actors: list[User] = entry.shown_actors
    names = [actor.username for actor in actors]
    count = max(entry.visible_actor_count, len(names))
    if not names:
        return "Someone"
    if count == 1:
        return names[0]
    if count == 2 and len(names) == 2:
        return f"{names[0]} and {names[1]}"
    others = count - 1
    return f"{names[0]} and {others} other{'s' if others > 1 else ''}"


def phrase(entry: Notification) -> str:
    """Return what the actors did, after their names (a notice's own text)."""
    if entry.kind in NOTICE_KINDS:
        return entry.text
    if entry.kind == Kind.MENTION:
        if entry.comment is not None:
            return f"mentioned you in a comment: {excerpt(entry.comment.text)}"
        return "mentioned you in a post."
    text = entry.comment.text if entry.comment is not None else entry.text
    return _PHRASES.get(Kind(entry.kind), "").format(excerpt=excerpt(text))


def excerpt(text: str) -> str:
    """Return the start of a text, cut on a word with an ellipsis when long."""
    text = " ".join(text.split())
    if len(text) <= EXCERPT:
        return text
    return text[:EXCERPT].rsplit(" ", 1)[0] + "…"


def thumbnail_url(media: MediaItem | None) -> str | None:
    """Return the URL of a media item's smallest rendition (its thumbnail), or None."""
    if media is None:
        return None
    renditions = media_renditions(media)
    thumb = next((r for r in renditions if r["name"] == "thumb"), None)
    if thumb is None and renditions:
        thumb = min(renditions, key=lambda r: r["width"] or 0)
    return str(thumb["url"]) if thumb else None
