"""Every event an app publishes for the apps above it, in one place.

An event is a fact about data that has just been committed: a frozen dataclass carrying ids
(never model instances, which would be stale by the time a subscriber runs). The lower app
publishes it with ``glimpse.core.event_bus.publish``; the higher apps subscribe in their
``AppConfig.ready()``. docs/events.md says who publishes and who subscribes to each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Event:
    """The base of every event."""


# --- Accounts -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AccountMadePublic(Event):
    """An account's owner set it public (a private account has pending requests)."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class AccountMadePrivate(Event):
    """An account's owner set it private: only its followers see its content from now on."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class AccountUpdated(Event):
    """An account's owner changed what its profile shows (name, bio, website, picture, privacy)."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class AccountErased(Event):
    """An account is being erased for good; published just before its rows go."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class AccountReactivated(Event):
    """An inactive account turned active again (a suspension ended, a deletion cancelled)."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class AccountSuspended(Event):
    """An account turned inactive because it was suspended."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class AccountBanned(Event):
    """An account turned inactive because it was banned."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class AccountDeactivated(Event):
    """An account turned inactive because its owner asked for its deletion."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class TokensRevoked(Event):
    """Some API tokens of an account were revoked."""

    account_id: int
    token_ids: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class PasswordReset(Event):
    """An account's password was reset and every one of its tokens revoked."""

    account_id: int


# --- Graph ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FollowCreated(Event):
    """An account followed a public account (a new follow)."""

    follower_id: int
    followee_id: int


@dataclass(frozen=True, kw_only=True)
class FollowRequested(Event):
    """An account asked to follow a private account."""

    requester_id: int
    target_id: int


@dataclass(frozen=True, kw_only=True)
class FollowRequestApproved(Event):
    """A private account approved a request; ``followed`` when it made a new follow."""

    owner_id: int
    requester_id: int
    followed: bool


@dataclass(frozen=True, kw_only=True)
class FollowRequestDenied(Event):
    """A private account denied a request to follow it."""

    owner_id: int
    requester_id: int


@dataclass(frozen=True, kw_only=True)
class FollowRemoved(Event):
    """A follow (or request) ended: by the followee if ``by_followee``; ``existed`` if a follow."""

    follower_id: int
    followee_id: int
    existed: bool
    by_followee: bool = False


@dataclass(frozen=True, kw_only=True)
class BlockChanged(Event):
    """An account blocked (``blocking``) or unblocked another; the follows it ended, by pair."""

    blocker_id: int
    blocked_id: int
    blocking: bool
    follows_ended: tuple[tuple[int, int], ...] = ()  # (follower_id, followee_id)


@dataclass(frozen=True, kw_only=True)
class DomainBlockChanged(Event):
    """An account blocked or unblocked a whole server (``domain``); the follows it ended."""

    owner_id: int
    domain: str
    blocking: bool
    follows_ended: tuple[tuple[int, int], ...] = ()  # (follower_id, followee_id)


@dataclass(frozen=True, kw_only=True)
class MuteChanged(Event):
    """An account muted (``muting``) or unmuted another."""

    muter_id: int
    muted_id: int
    muting: bool


# --- Media ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MediaRendered(Event):
    """New renditions of a media item were published (a first render or an edit)."""

    media_id: int


# --- Posts ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ScheduledPostFailed(Event):
    """A scheduled post could not be published when due: it stays a draft, marked failed."""

    draft_id: int
    author_id: int


@dataclass(frozen=True, kw_only=True)
class PostPublished(Event):
    """A post was published (``imported``: brought in from an archive, no news to anyone)."""

    post_id: int
    author_id: int
    # An old post of an archive (imports): kept off feeds, notifications, streams, servers.
    imported: bool = False


@dataclass(frozen=True, kw_only=True)
class PostEdited(Event):
    """A post's caption, place, items or settings were edited by its author."""

    post_id: int
    author_id: int


@dataclass(frozen=True, kw_only=True)
class PostDeleted(Event):
    """A post was deleted by its author."""

    post_id: int
    author_id: int


@dataclass(frozen=True, kw_only=True)
class PostArchived(Event):
    """A post was archived: hidden from everyone but its author."""

    post_id: int
    author_id: int


@dataclass(frozen=True, kw_only=True)
class PostUnarchived(Event):
    """An archived post was shown again."""

    post_id: int
    author_id: int


@dataclass(frozen=True, kw_only=True)
class RepostCreated(Event):
    """An account reposted a post to its followers."""

    repost_id: int
    post_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class RepostDeleted(Event):
    """An account took back a repost."""

    repost_id: int
    post_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class PostLiked(Event):
    """An account liked a post."""

    post_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class PostUnliked(Event):
    """An account took back its like of a post."""

    post_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class CommentCreated(Event):
    """A comment (or a reply) was written on a post."""

    comment_id: int
    post_id: int
    author_id: int


@dataclass(frozen=True, kw_only=True)
class CommentDeleted(Event):
    """A comment was deleted with its replies; published just before its rows go."""

    comment_id: int
    post_id: int
    actor_id: int


@dataclass(frozen=True, kw_only=True)
class CommentLiked(Event):
    """An account liked a comment."""

    comment_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class CommentUnliked(Event):
    """An account took back its like of a comment."""

    comment_id: int
    user_id: int


ShownFrom = Literal["feed", "explore", "hashtag", "place", "profile", "post"]


@dataclass(frozen=True, kw_only=True)
class PostsShown(Event):
    """Posts were shown to a viewer (None: anonymous) on one surface of the product."""

    viewer_id: int | None
    post_ids: tuple[int, ...]
    source: ShownFrom


# --- Moderation -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReportsForwarded(Event):
    """Reports of another server's account (or its content) its reporter asked to send there."""

    report_ids: tuple[int, ...]


# --- Notifications --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NotificationAdded(Event):
    """A recipient's notification was made or bumped by new activity (a notice included)."""

    recipient_id: int
    notification_id: int


# --- Stories --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StoryReplied(Event):
    """An account replied to a story it may see (the author reads it in their messages)."""

    reply_id: int


@dataclass(frozen=True, kw_only=True)
class StoryReacted(Event):
    """An account reacted to a story it may see, or changed its reaction."""

    reaction_id: int
