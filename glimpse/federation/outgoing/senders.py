"""The senders a job may call, by name: each takes ids (and flags) and delivers one
activity, doing nothing when the acting account is another server's or federation is off."""

from __future__ import annotations

from collections.abc import Callable

from glimpse.federation.outgoing import accounts, comments, interactions, posts

SENDERS: dict[str, Callable[..., int]] = {
    "post_create": posts.post_create_send,
    "post_update": posts.post_update_send,
    "post_delete": posts.post_delete_send,
    "post_archive": posts.post_archive_send,
    "comment_create": comments.comment_create_send,
    "comment_delete": comments.comment_delete_send,
    "like": interactions.like_send,
    "comment_like": interactions.comment_like_send,
    "repost": interactions.repost_send,
    "block": interactions.block_send,
    "account_update": accounts.account_update_send,
}
