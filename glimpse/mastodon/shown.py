"""Statuses and accounts as a viewer sees them: Glimpse's presenters, then Mastodon's shape.

Every list is drawn the way Glimpse's own pages draw it (posts from their cached cards and
one state query through the visibility policy), then the accounts it shows are read in one
more query for their counts: a page costs the same queries whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.presenters import AccountView, account_view_of
from glimpse.core import ids
from glimpse.feeds.presenters import feed_views
from glimpse.feeds.selectors import FeedItem
from glimpse.graph.selectors import accounts_by_id
from glimpse.mastodon.content import text_html, timestamp
from glimpse.mastodon.entities.accounts import account_entity
from glimpse.mastodon.entities.media import media_attachment
from glimpse.mastodon.entities.statuses import (
    comment_status_entity,
    reblog_entity,
    status_edit_entity,
    status_entity,
)
from glimpse.mastodon.entities.tags import HISTORY_DAYS, tag_entity
from glimpse.posts import selectors as post_selectors
from glimpse.posts.models import Comment, Hashtag, PostEdit
from glimpse.posts.presenters import PostView, comment_view_of
from glimpse.posts.shown import posts_shown
from glimpse.posts.text import hashtag_spans


def accounts_json(viewer: User | None, account_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Return the Account entities of the accounts the viewer may see among these, by id."""
    found = accounts_by_id(viewer=viewer, ids=account_ids)
    return {pk: account_entity(user) for pk, user in found.items()}


def tags_json(viewer: User | None, tags: Sequence[Hashtag]) -> list[dict[str, Any]]:
    """Return hashtags as Tags, in order, each with its week of use the viewer may see."""
    today = timezone.now().date()
    used = post_selectors.hashtags_daily_use(
        viewer=viewer, tag_ids=[tag.pk for tag in tags], days=HISTORY_DAYS, today=today
    )
    return [tag_entity(tag.name, daily_use=used.get(tag.pk, {}), today=today) for tag in tags]


def statuses_json(viewer: User | None, views: Sequence[PostView]) -> list[dict[str, Any]]:
    """Return posts as Statuses, in order."""
    accounts = accounts_json(viewer, {view.author.id for view in views})
    return [status_entity(view, accounts=accounts) for view in views if view.author.id in accounts]


def statuses_of_ids(viewer: User | None, post_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Return the posts among ``post_ids`` that lists show the viewer, as Statuses, in order."""
    return statuses_json(viewer, posts_shown(viewer=viewer, post_ids=post_ids, listed=True))


def feed_statuses_json(viewer: User, items: list[FeedItem]) -> list[dict[str, Any]]:
    """Return a home feed page as Statuses; a repost is the reposter's status of the post."""
    views = feed_views(items)
    wanted = {view.post.author.id for view in views}
    wanted |= {view.reposted_by.id for view in views if view.reposted_by is not None}
    accounts = accounts_json(viewer, wanted)
    statuses = []
    for view in views:
        if view.post.author.id not in accounts:
            continue
        status = status_entity(view.post, accounts=accounts)
        if view.reposted_by is None:
            statuses.append(status)
        elif view.reposted_by.id in accounts:
            account = accounts[view.reposted_by.id]
            moment = ids.created_at(view.entry_id)
            statuses.append(reblog_entity(view.entry_id, moment, reblog=status, account=account))
    return statuses


def comments_json(
    viewer: User | None,
    post: PostView,
    comments: Sequence[Comment],
    *,
    around: Sequence[Comment] = (),
) -> list[dict[str, Any]]:
    """Return a post's hydrated comments as Statuses in reply to it (replies: to their
    comment), in order; ``around`` holds the comments the replies answer, if not among them."""
    views = [comment_view_of(comment) for comment in comments]
    accounts = accounts_json(viewer, {post.author.id} | {view.author.id for view in views})
    authors = {c.pk: c.author_id for c in (*around, *comments)}
    statuses = []
    for comment, view in zip(comments, views, strict=True):
        if view.author.id not in accounts:
            continue
        mentions: dict[str, AccountView] = {
            mention.account.username: account_view_of(mention.account)
            for mention in comment.mentions.all()
        }
        replied_to = authors.get(view.parent_id or 0, post.author.id)
        statuses.append(
            comment_status_entity(
                view,
                post=post,
                accounts=accounts,
                mentions=mentions,
                replied_to_account_id=replied_to,
            )
        )
    return statuses


def status_history_json(
    viewer: User, post: PostView, edits: Sequence[PostEdit]
) -> list[dict[str, Any]]:
    """Return a post's versions as StatusEdits, oldest first, rebuilt from its edits (oldest
    first): each caption and its items' alt texts; media since removed are left out."""
    accounts = accounts_json(viewer, {post.author.id})
    account = accounts.get(post.author.id)
    if account is None:
        return []
    media = {item.media.id: item.media for item in post.items}
    mentions = {mention.username: mention for mention in post.mentions}
    caption = post.caption
    items = [(item.media.id, item.media.alt_text) for item in post.items]
    moments = [post.created_at, *(edit.created_at for edit in edits)]
    versions = []
    for edit, moment in zip([*reversed(edits), None], reversed(moments), strict=True):
        versions.append(
            status_edit_entity(
                # Each version's hashtags were the post's while it was current.
                content=text_html(
                    caption,
                    hashtags={key for _, _, key in hashtag_spans(caption)},
                    mentions=mentions,
                ),
                created_at=timestamp(moment),
                account=account,
                media_attachments=[
                    media_attachment(replace(media[pk], alt_text=alt))
                    for pk, alt in items
                    if pk in media
                ],
            )
        )
        if edit is not None:
            caption, items = _before(edit, caption, items)
    return versions[::-1]


def _before(
    edit: PostEdit, caption: str, items: list[tuple[int, str]]
) -> tuple[str, list[tuple[int, str]]]:
    """Return the caption and items (media id, alt text) as they were before an edit."""
    changes = edit.changes
    if "caption" in changes:
        caption = str(changes["caption"]["before"])
    if "items" in changes:
        items = [
            (int(item["media_id"]), str(item["alt_text"])) for item in changes["items"]["before"]
        ]
    return caption, items
