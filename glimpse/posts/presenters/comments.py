"""A comment or reply as the API and the post page show it, and as a feed card previews it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from glimpse.accounts.presenters import AccountJson, AccountView, account_json, account_view_of
from glimpse.core.pagination import Page, cursor_json
from glimpse.posts.cards import CommentCard
from glimpse.posts.models import Comment


@dataclass(frozen=True)
class CommentViewer:
    """The viewer's own state of a comment."""

    liked: bool
    can_delete: bool


@dataclass(frozen=True)
class CommentView:
    """A comment or reply as one viewer sees it."""

    id: int
    post_id: int
    parent_id: int | None
    author: AccountView
    text: str
    mentions: tuple[str, ...]  # the usernames of the visible accounts it names
    like_count: int
    reply_count: int
    is_pinned: bool
    created_at: datetime
    viewer: CommentViewer


class CommentViewerJson(TypedDict):
    liked: bool
    can_delete: bool


class CommentJson(TypedDict):
    id: str
    post_id: str
    parent_id: str | None
    author: AccountJson
    text: str
    mentions: list[str]
    like_count: int
    reply_count: int
    is_pinned: bool
    created_at: datetime
    viewer: CommentViewerJson


class CommentPageJson(TypedDict):
    items: list[CommentJson]
    next_max_id: str | None


def comment_view_of(comment: Comment) -> CommentView:
    """Return the presenter of a comment hydrated by the comments selectors (no query)."""
    return CommentView(
        id=comment.pk,
        post_id=comment.post_id,
        parent_id=comment.parent_id,
        author=account_view_of(comment.author),
        text=comment.text,
        mentions=tuple(mention.account.username for mention in comment.mentions.all()),
        like_count=comment.like_count,
        reply_count=comment.reply_count,
        is_pinned=comment.is_pinned,
        created_at=comment.created_at,
        viewer=CommentViewer(comment.viewer_liked, comment.viewer_can_delete),
    )


def comment_json(view: CommentView) -> CommentJson:
    """Return a comment as the API shows it."""
    return CommentJson(
        id=str(view.id),
        post_id=str(view.post_id),
        parent_id=str(view.parent_id) if view.parent_id else None,
        author=account_json(view.author),
        text=view.text,
        mentions=list(view.mentions),
        like_count=view.like_count,
        reply_count=view.reply_count,
        is_pinned=view.is_pinned,
        created_at=view.created_at,
        viewer=CommentViewerJson(liked=view.viewer.liked, can_delete=view.viewer.can_delete),
    )


def comment_page_json(page: Page[Comment]) -> CommentPageJson:
    """Return a page of hydrated comments as `{"items", "next_max_id"}`."""
    items = [comment_json(comment_view_of(comment)) for comment in page.items]
    return CommentPageJson(items=items, next_max_id=cursor_json(page.next_max_id))


@dataclass(frozen=True)
class CommentPreview:
    """A comment as a post's card in the home feed previews it: who said what, and when.

    No counts and no viewer state: the preview is drawn from the cached comment card alone.
    """

    id: int
    post_id: int
    author: AccountView
    text: str
    mentions: tuple[str, ...]  # the usernames of the visible accounts it names
    created_at: datetime


def comment_preview(
    card: CommentCard, accounts: Mapping[int, AccountView]
) -> CommentPreview | None:
    """Return the preview of a comment card; ``accounts`` holds its author and the accounts
    the viewer may see among those it names (None when the author is not among them)."""
    author = accounts.get(card.author_id)
    if author is None:
        return None
    return CommentPreview(
        id=card.id,
        post_id=card.post_id,
        author=author,
        text=card.text,
        mentions=tuple(accounts[pk].username for pk in card.mention_ids if pk in accounts),
        created_at=card.created_at,
    )
