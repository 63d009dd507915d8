"""The streams a client can ask for, what each carries, and the channel-layer group it
listens to.

Every stream of a connection listens to one group: an account's own (``user``,
``user:notification``), the public one (every public post: all posts are local and all have
media, so ``public``, ``public:local`` and their ``:media`` forms are the same), or one per
hashtag. What reaches a group is ids; each connection renders them for its own viewer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from glimpse.accounts.oauth.credentials import Credential
from glimpse.posts.text import hashtag_key

UPDATE = "update"
DELETE = "delete"
EDIT = "status.update"
NOTIFICATION = "notification"
POST_EVENTS = frozenset({UPDATE, DELETE, EDIT})

PUBLIC_GROUP = "mastodon.public"

# Mastodon's own words for a stream it cannot serve.
UNKNOWN_STREAM = "Unknown stream type"
NO_TAG = "No tag for stream provided"
MISSING_TOKEN = "Missing access token"  # noqa: S105 - an error message
INVALID_TOKEN = "Invalid access token"  # noqa: S105 - an error message
OUTSIDE_SCOPES = "Access token does not have the required scopes"
USER_REQUIRED = "This method requires an authenticated user"

STATUS_SCOPES = ("read", "read:statuses")
NOTIFICATION_SCOPES = ("read", "read:notifications")
# A token needs one of these to open a connection at all.
ANY_STREAM_SCOPES = ("read", "read:statuses", "read:notifications")

PUBLIC_STREAMS = ("public", "public:media", "public:local", "public:local:media")
# Accepted, and silent: every account is local until federation exists.
REMOTE_STREAMS = ("public:remote", "public:remote:media")
HASHTAG_STREAMS = ("hashtag", "hashtag:local")


class StreamError(Exception):
    """A stream that cannot be served, with Mastodon's status and words for it."""

    def __init__(self, status: int, error: str) -> None:
        self.status = status
        self.error = error
        super().__init__(error)


@dataclass(frozen=True)
class Stream:
    """One stream of a connection: its name, its tag, its group and the events it carries."""

    name: str
    tag: str | None
    group: str | None  # None: a stream nothing reaches (remote posts)
    events: frozenset[str]

    @property
    def key(self) -> list[str]:
        """Return the ``stream`` array its events carry (the tag after a hashtag stream's name)."""
        return [self.name] if self.tag is None else [self.name, self.tag]


def user_group(account_id: int) -> str:
    """Return the group of an account's ``user`` streams."""
    return f"mastodon.user.{account_id}"


def tag_group(name: str) -> str:
    """Return the group of a hashtag's streams (names may be any script: groups are ASCII)."""
    digest = hashlib.sha256(hashtag_key(name).encode()).hexdigest()[:32]
    return f"mastodon.tag.{digest}"


def stream_for(name: object, tag: object, credential: Credential) -> Stream:
    """Return the stream a client asks for by name (and tag), or raise StreamError."""
    if not isinstance(name, str):
        raise StreamError(400, UNKNOWN_STREAM)
    user = credential.user
    assert user is not None, "streaming connections are refused without an account"
    if name == "user":
        _require(credential, STATUS_SCOPES)
        events = set(POST_EVENTS)
        # Mastodon leaves notifications out of the user stream of a token that may not read them.
        if any(credential.allows(scope) for scope in NOTIFICATION_SCOPES):
            events.add(NOTIFICATION)
        return Stream(name, None, user_group(user.pk), frozenset(events))
    if name == "user:notification":
        _require(credential, NOTIFICATION_SCOPES)
        return Stream(name, None, user_group(user.pk), frozenset({NOTIFICATION}))
    if name in PUBLIC_STREAMS:
        _require(credential, STATUS_SCOPES)
        return Stream(name, None, PUBLIC_GROUP, POST_EVENTS)
    if name in REMOTE_STREAMS:
        _require(credential, STATUS_SCOPES)
        return Stream(name, None, None, POST_EVENTS)
    if name in HASHTAG_STREAMS:
        _require(credential, STATUS_SCOPES)
        if not isinstance(tag, str) or not tag.strip().lstrip("#"):
            raise StreamError(400, NO_TAG)
        return Stream(name, tag, tag_group(tag.strip().lstrip("#")), POST_EVENTS)
    raise StreamError(400, UNKNOWN_STREAM)


def _require(credential: Credential, scopes: tuple[str, ...]) -> None:
    if not any(credential.allows(scope) for scope in scopes):
        raise StreamError(401, OUTSIDE_SCOPES)
