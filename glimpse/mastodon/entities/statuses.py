"""Mastodon's Status, from Glimpse's post and comment presenters.

A post is a status with its media; a repost in the home feed is a status whose ``reblog``
is the post; a comment (or a reply to one) is a status in reply to the post (or to the
comment). Visibility follows the author: a private account's posts are ``private``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from glimpse.accounts.presenters import AccountView
from glimpse.mastodon.content import account_url, tag_url, text_html, timestamp
from glimpse.mastodon.entities.media import media_attachment
from glimpse.posts.presenters import CommentView, PostView

Accounts = Mapping[int, dict[str, Any]]  # Account entities by id


def status_entity(view: PostView, *, accounts: Accounts) -> dict[str, Any]:
    """Return a post as a Status; ``accounts`` holds its author's Account entity."""
    mentions = {account.username: account for account in view.mentions}
    return {
        **_common(view.id, view.created_at, accounts[view.author.id], view.author.is_private),
        "url": view.permalink,
        "uri": view.permalink,
        "content": text_html(view.caption, hashtags=set(view.hashtags), mentions=mentions),
        "text": None,
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "edited_at": timestamp(view.edited_at) if view.edited_at else None,
        "media_attachments": [media_attachment(item.media) for item in view.items],
        "mentions": [mention_entity(account) for account in view.mentions],
        "tags": [{"name": name, "url": tag_url(name)} for name in view.hashtags],
        # A hidden like count shows as none: Mastodon has no way to say "hidden".
        "favourites_count": view.like_count or 0,
        "reblogs_count": view.repost_count,
        "replies_count": view.comment_count,
        "favourited": view.viewer.liked,
        "reblogged": view.viewer.reposted,
        "bookmarked": view.viewer.saved,
        "pinned": view.is_pinned,
    }


def reblog_entity(
    entry_id: int, created_at: datetime, *, reblog: dict[str, Any], account: dict[str, Any]
) -> dict[str, Any]:
    """Return a repost in the home feed: a status of the reposter whose ``reblog`` is the post."""
    return {
        **_common(entry_id, created_at, account, reblog["visibility"] == "private"),
        "url": reblog["url"],
        "uri": reblog["uri"],
        "content": "",
        "text": None,
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "edited_at": None,
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "favourites_count": 0,
        "reblogs_count": 0,
        "replies_count": 0,
        "favourited": False,
        "reblogged": reblog["reblogged"],
        "bookmarked": False,
        "pinned": False,
        "reblog": reblog,
    }


def comment_status_entity(
    view: CommentView,
    *,
    post: PostView,
    accounts: Accounts,
    mentions: Mapping[str, AccountView],
    replied_to_account_id: int,
) -> dict[str, Any]:
    """Return a comment as a status in reply to its post (a reply: to its comment).

    ``mentions`` holds the accounts the comment names that the viewer may see, by username;
    ``replied_to_account_id`` is the author of what it answers.
    """
    named = [mentions[name] for name in view.mentions if name in mentions]
    url = f"{post.permalink}#c{view.id}"
    return {
        **_common(view.id, view.created_at, accounts[view.author.id], post.author.is_private),
        "url": url,
        "uri": url,
        "content": text_html(view.text, mentions=mentions),
        "text": None,
        "in_reply_to_id": str(view.parent_id or view.post_id),
        "in_reply_to_account_id": str(replied_to_account_id),
        "edited_at": None,
        "media_attachments": [],
        "mentions": [mention_entity(account) for account in named],
        "tags": [],
        "favourites_count": view.like_count,
        "reblogs_count": 0,
        "replies_count": view.reply_count,
        "favourited": view.viewer.liked,
        "reblogged": False,
        "bookmarked": False,
        # A comment pinned atop its post's comments is not pinned to a profile.
        "pinned": False,
    }


def status_edit_entity(
    *,
    content: str,
    created_at: str,
    account: dict[str, Any],
    media_attachments: list[dict[str, Any]],
) -> dict[str, Any]:
    """Return one version of a status as Mastodon's StatusEdit (``created_at`` as shown)."""
    return {
        "content": content,
        "spoiler_text": "",
        "sensitive": False,
        "created_at": created_at,
        "account": account,
        "poll": None,
        "media_attachments": media_attachments,
        "emojis": [],
    }


def mention_entity(account: AccountView) -> dict[str, str]:
    """Return an account a status names as Mastodon's Mention."""
    return {
        "id": str(account.id),
        "username": account.username.partition("@")[0],  # name@host: the name alone
        "acct": account.username,
        "url": account_url(account.username),
    }


def _common(
    status_id: int, created_at: datetime, account: dict[str, Any], private: bool
) -> dict[str, Any]:
    """Return the fields every status has alike, whatever it comes from."""
    return {
        "id": str(status_id),
        "created_at": timestamp(created_at),
        "account": account,
        # Glimpse has no audience per post: a private account's posts are for its followers.
        "visibility": "private" if private else "public",
        "sensitive": False,
        "spoiler_text": "",
        "language": None,
        "reblog": None,
        "application": None,
        "poll": None,
        "card": None,
        "emojis": [],
        "muted": False,
        "filtered": [],
    }
