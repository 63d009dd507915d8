"""What feeds do when posts, reposts and the graph change (subscribed in ``FeedsConfig``).

Each subscriber runs after the change commits and queues the same work the feed services
always did: a fan-out job for a post or repost, a drop of the feeds a graph change alters.
"""

from __future__ import annotations

from glimpse.core.events import (
    BlockChanged,
    DomainBlockChanged,
    FollowCreated,
    FollowRemoved,
    FollowRequestApproved,
    MuteChanged,
    PostArchived,
    PostDeleted,
    PostPublished,
    PostUnarchived,
    RepostCreated,
    RepostDeleted,
)
from glimpse.feeds import services


def post_published(event: PostPublished | PostUnarchived) -> None:
    """Fan a new (or unarchived) post out to its author's followers; an imported one stays
    out of feeds."""
    if isinstance(event, PostPublished) and event.imported:
        return
    services.post_added_on_commit(event.post_id, event.author_id)


def post_removed(event: PostDeleted | PostArchived) -> None:
    """Take a deleted or archived post out of the feeds."""
    services.post_removed_on_commit(event.post_id, event.author_id)


def repost_created(event: RepostCreated) -> None:
    """Fan a repost out to the reposter's followers."""
    services.repost_added_on_commit(event.repost_id, event.user_id)


def repost_deleted(event: RepostDeleted) -> None:
    """Take a repost out of the feeds."""
    services.repost_removed_on_commit(event.repost_id, event.user_id)


def follow_created(event: FollowCreated) -> None:
    """Drop the new follower's feed: it is rebuilt with the followed account's posts."""
    services.graph_changed_on_commit(event.follower_id)


def follow_request_approved(event: FollowRequestApproved) -> None:
    """Drop the feed of a requester that became a follower."""
    if event.followed:
        services.graph_changed_on_commit(event.requester_id)


def follow_removed(event: FollowRemoved) -> None:
    """Drop the former follower's feed."""
    services.graph_changed_on_commit(event.follower_id)


def block_changed(event: BlockChanged) -> None:
    """Drop both feeds after a block: neither may show the other's posts."""
    if event.blocking:
        services.graph_changed_on_commit(event.blocker_id, event.blocked_id)


def domain_block_changed(event: DomainBlockChanged) -> None:
    """Drop the owner's feed after it blocked a server: that server's posts may not show."""
    if event.blocking:
        services.graph_changed_on_commit(event.owner_id)


def mute_changed(event: MuteChanged) -> None:
    """Drop the muter's feed: the muted account's posts leave it, or come back."""
    services.graph_changed_on_commit(event.muter_id)
