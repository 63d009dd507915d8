"""What one action means to notifications: its kind, who did it, and what it was about."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Activity:
    """An action that may tell accounts something; the ids that matter depend on the kind.

    ``like`` a post_id; ``comment`` a comment_id (the post's author, the parent's author and
    the mentioned accounts are told); ``comment_like`` a comment_id; ``mention`` a post_id
    (its caption's mentions and its people tags); ``follow`` and ``follow_request`` the
    followee as recipient_id; ``request_approved`` the requester as recipient_id;
    ``story_reaction`` and ``story_reply`` recipient_id, story_id and the text;
    ``story_mention`` the story's author as actor, a mentioned account allowed to see the
    story as recipient_id, and story_id.
    """

    kind: str
    actor_id: int
    recipient_id: int | None = None
    post_id: int | None = None
    comment_id: int | None = None
    story_id: int | None = None
    text: str = ""
