"""Notifications as the API, the page and the live events show them (no query is made here).

``NotificationView`` is built from an entry hydrated by the notifications selectors (its
visible actors, their count and the post's cover); ``notification_json`` is the only place a
notification's JSON is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from glimpse.accounts.presenters import (
    AccountJson,
    AccountView,
    Avatar,
    account_json,
    account_view_of,
)
from glimpse.media.presenters import media_view
from glimpse.notifications.models import NOTICE_KINDS, Kind, Notification

EXCERPT = 80
FACES_SHOWN = 2

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
    Kind.STORY_MENTION: "mentioned you in their story.",
}


@dataclass(frozen=True)
class NotificationPost:
    """The post a notification is about, with its first item's thumbnail."""

    id: int
    thumbnail: str | None


@dataclass(frozen=True)
class NotificationComment:
    """The comment a notification is about, cut short."""

    id: int
    text: str


@dataclass(frozen=True)
class NotificationStory:
    """The story a notification is about, by id: it may have expired or gone since."""

    id: int


@dataclass(frozen=True)
class NotificationView:
    """One entry of the viewer's activity."""

    id: int
    kind: str
    actors: tuple[AccountView, ...]  # the latest visible ones
    actor_count: int  # every visible one
    post: NotificationPost | None
    comment: NotificationComment | None
    story: NotificationStory | None
    phrase: str  # what the actors did, after their names (a notice's own text)
    is_read: bool
    created_at: datetime
    updated_at: datetime
    cursor: int

    @property
    def is_notice(self) -> bool:
        """Tell whether this is a notice from the moderators (no actor)."""
        return self.kind in NOTICE_KINDS

    @property
    def is_request(self) -> bool:
        """Tell whether this is a request to follow the viewer."""
        return self.kind == Kind.FOLLOW_REQUEST

    @property
    def is_story_answer(self) -> bool:
        """Tell whether this is a reply or a reaction to the viewer's story (it links to the
        conversation with its actor, where the answer landed)."""
        return self.kind in (Kind.STORY_REPLY, Kind.STORY_REACTION)

    @property
    def is_story_mention(self) -> bool:
        """Tell whether this is a mention of the viewer in someone's story (it links to it)."""
        return self.kind == Kind.STORY_MENTION

    @property
    def actors_label(self) -> str:
        """Return who did it: "ana", "ana and bo", "ana and 12 others"."""
        names = [actor.username for actor in self.actors]
        count = max(self.actor_count, len(names))
        if not names:
            return "Someone"
        if count == 1:
            return names[0]
        if count == 2 and len(names) == 2:
            return f"{names[0]} and {names[1]}"
        others = count - 1
        return f"{names[0]} and {others} other{'s' if others > 1 else ''}"

    @property
    def others_label(self) -> str:
        """Return who did it besides the first actor ("bo", "12 others"), or nothing."""
        return self.actors_label.partition(" and ")[2]

    @property
    def text(self) -> str:
        """Return the whole sentence: who did what."""
        return self.phrase if self.is_notice else f"{self.actors_label} {self.phrase}"

    @property
    def faces(self) -> list[Avatar]:
        """Return the pictures of the first actors, for the page."""
        return [actor.avatar(150) for actor in self.actors[:FACES_SHOWN]]


class NotificationPostJson(TypedDict):
    id: str
    thumbnail: str | None


class NotificationCommentJson(TypedDict):
    id: str
    text: str


class NotificationStoryJson(TypedDict):
    id: str


class NotificationJson(TypedDict):
    id: str
    kind: str
    actors: list[AccountJson]
    actor_count: int
    post: NotificationPostJson | None
    comment: NotificationCommentJson | None
    story: NotificationStoryJson | None
    text: str
    is_read: bool
    created_at: datetime
    updated_at: datetime
    cursor: str


def notification_view(entry: Notification) -> NotificationView:
    """Return the presenter of an entry hydrated by the notifications selectors."""
    comment = entry.comment
    cover = media_view(entry.cover) if entry.cover is not None else None
    return NotificationView(
        id=entry.pk,
        kind=entry.kind,
        actors=tuple(account_view_of(actor) for actor in entry.shown_actors),
        actor_count=entry.visible_actor_count,
        post=(
            NotificationPost(entry.post_id, cover.thumbnail if cover else None)
            if entry.post_id
            else None
        ),
        comment=NotificationComment(comment.pk, excerpt(comment.text)) if comment else None,
        story=NotificationStory(entry.story_id) if entry.story_id else None,
        phrase=_phrase(entry),
        is_read=entry.is_read,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        cursor=entry.sort_id,
    )


def notification_json(view: NotificationView) -> NotificationJson:
    """Return a notification as the API and the live events show it."""
    post, comment, story = view.post, view.comment, view.story
    return NotificationJson(
        id=str(view.id),
        kind=view.kind,
        actors=[account_json(actor) for actor in view.actors],
        actor_count=view.actor_count,
        post=NotificationPostJson(id=str(post.id), thumbnail=post.thumbnail) if post else None,
        comment=NotificationCommentJson(id=str(comment.id), text=comment.text) if comment else None,
        story=NotificationStoryJson(id=str(story.id)) if story else None,
        text=view.text,
        is_read=view.is_read,
        created_at=view.created_at,
        updated_at=view.updated_at,
        cursor=str(view.cursor),
    )


def _phrase(entry: Notification) -> str:
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
