"""What insights record when posts are shown and follows change (subscribed in
``InsightsConfig``)."""

from __future__ import annotations

from glimpse.core.events import (
    BlockChanged,
    FollowCreated,
    FollowRemoved,
    FollowRequestApproved,
    PostsShown,
)
from glimpse.insights import services


def posts_shown(event: PostsShown) -> None:
    """Count the impressions of the posts a page showed."""
    services.impressions_record_for(
        viewer_id=event.viewer_id, post_ids=event.post_ids, source=event.source
    )


def follow_created(event: FollowCreated) -> None:
    """Record a follower gained."""
    services.follow_events_record(pairs=[(event.followee_id, event.follower_id)], gained=True)


def follow_request_approved(event: FollowRequestApproved) -> None:
    """Record a follower gained by an approved request."""
    if event.followed:
        services.follow_events_record(pairs=[(event.owner_id, event.requester_id)], gained=True)


def follow_removed(event: FollowRemoved) -> None:
    """Record a follower lost."""
    if event.existed:
        services.follow_events_record(pairs=[(event.followee_id, event.follower_id)], gained=False)


def block_changed(event: BlockChanged) -> None:
    """Record the followers a block took away, on both sides."""
    pairs = [(followee_id, follower_id) for follower_id, followee_id in event.follows_ended]
    if pairs:
        services.follow_events_record(pairs=pairs, gained=False)
