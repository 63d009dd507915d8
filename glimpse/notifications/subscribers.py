"""What notifications do when posts, comments, likes and follows change (subscribed in
``NotificationsConfig``): each subscriber queues the sync job of one activity, or forgets
the cached unread counts (``badge``) of the accounts whose visible notifications changed."""

from __future__ import annotations

from collections.abc import Mapping

from glimpse.core.events import (
    AccountBanned,
    AccountDeactivated,
    AccountMadePrivate,
    AccountMadePublic,
    AccountReactivated,
    AccountSuspended,
    BlockChanged,
    CommentCreated,
    CommentDeleted,
    CommentLiked,
    CommentUnliked,
    DomainBlockChanged,
    FollowCreated,
    FollowRemoved,
    FollowRequestApproved,
    FollowRequestDenied,
    FollowRequested,
    PostArchived,
    PostDeleted,
    PostEdited,
    PostLiked,
    PostPublished,
    PostUnarchived,
    PostUnliked,
    ScheduledPostFailed,
)
from glimpse.notifications import selectors, services
from glimpse.notifications.activity import Activity
from glimpse.notifications.models import Kind
from glimpse.posts import selectors as post_selectors


def post_published(event: PostPublished | PostEdited) -> None:
    """Tell the accounts a new or edited post mentions or tags (and untell the dropped);
    an imported post tells no one (its @names were another service's accounts)."""
    if isinstance(event, PostPublished) and event.imported:
        return
    activity = Activity(kind=Kind.MENTION, actor_id=event.author_id, post_id=event.post_id)
    services.notify_on_commit(activity=activity)


def scheduled_post_failed(event: ScheduledPostFailed) -> None:
    """Tell an author that a scheduled post of theirs could not be published, and why."""
    draft = post_selectors.draft_failed(author_id=event.author_id, draft_id=event.draft_id)
    if draft is None or draft.failed_at is None:
        return  # changed (or deleted) since
    services.notice_send(
        recipient_id=event.author_id,
        kind=Kind.SCHEDULED_FAILED,
        # Once per failure: a post that fails again after a change is told again.
        key=f"{draft.pk}:{draft.failed_at:%Y%m%d%H%M%S%f}",
        text=f"Your scheduled post was not published: {draft.failure} Open your scheduled "
        "posts to fix it.",
    )


def post_liked(event: PostLiked) -> None:
    """Tell a post's author of a like."""
    activity = Activity(kind=Kind.LIKE, actor_id=event.user_id, post_id=event.post_id)
    services.notify_on_commit(activity=activity)


def post_unliked(event: PostUnliked) -> None:
    """Take a like back out of the author's notifications."""
    activity = Activity(kind=Kind.LIKE, actor_id=event.user_id, post_id=event.post_id)
    services.unnotify_on_commit(activity=activity)


def comment_created(event: CommentCreated) -> None:
    """Tell the post's author, the parent's author and the mentioned of a comment."""
    activity = Activity(kind=Kind.COMMENT, actor_id=event.author_id, comment_id=event.comment_id)
    services.notify_on_commit(activity=activity)


def comment_unread_counts(event: CommentDeleted) -> dict[int, int]:
    """Note the unread counts of the accounts told of a comment, before it goes."""
    return services.comment_unread_counts(comment_id=event.comment_id)


def comment_deleted(event: CommentDeleted, before: Mapping[int, int]) -> None:
    """Send the accounts told of a deleted comment their unread count, where it changed."""
    services.unread_counts_publish(before=before)


def comment_liked(event: CommentLiked) -> None:
    """Tell a comment's author of a like."""
    activity = Activity(kind=Kind.COMMENT_LIKE, actor_id=event.user_id, comment_id=event.comment_id)
    services.notify_on_commit(activity=activity)


def comment_unliked(event: CommentUnliked) -> None:
    """Take a like of a comment back out of its author's notifications."""
    activity = Activity(kind=Kind.COMMENT_LIKE, actor_id=event.user_id, comment_id=event.comment_id)
    services.unnotify_on_commit(activity=activity)


def follow_created(event: FollowCreated) -> None:
    """Tell an account of a new follower."""
    activity = Activity(
        kind=Kind.FOLLOW, actor_id=event.follower_id, recipient_id=event.followee_id
    )
    services.notify_on_commit(activity=activity)


def follow_requested(event: FollowRequested) -> None:
    """Tell a private account of a request to follow it."""
    activity = Activity(kind=Kind.FOLLOW, actor_id=event.requester_id, recipient_id=event.target_id)
    services.notify_on_commit(activity=activity)


def follow_request_approved(event: FollowRequestApproved) -> None:
    """Tell a requester its request was approved (and the owner of its new follower)."""
    activity = Activity(
        kind=Kind.REQUEST_APPROVED, actor_id=event.owner_id, recipient_id=event.requester_id
    )
    services.notify_on_commit(activity=activity)


def follow_request_denied(event: FollowRequestDenied) -> None:
    """Take the requests no longer pending out of the owner's notifications."""
    activity = Activity(
        kind=Kind.FOLLOW_REQUEST, actor_id=event.owner_id, recipient_id=event.owner_id
    )
    services.unnotify_on_commit(activity=activity)


def follow_removed(event: FollowRemoved) -> None:
    """Take an ended follow (or request) out of the followee's notifications."""
    activity = Activity(
        kind=Kind.FOLLOW, actor_id=event.follower_id, recipient_id=event.followee_id
    )
    services.unnotify_on_commit(activity=activity)


# --- What a recipient may see changed: forget its cached unread count -----------------------


def block_changed(event: BlockChanged) -> None:
    """Forget both accounts' unread counts: each one's activity leaves (or returns to) the
    other's notifications."""
    services.unread_counts_forget(user_ids=[event.blocker_id, event.blocked_id])


def domain_block_changed(event: DomainBlockChanged) -> None:
    """Forget the owner's unread count: the blocked server's activity leaves (or returns to)
    its notifications."""
    services.unread_counts_forget(user_ids=[event.owner_id])


def follow_ended(event: FollowRemoved) -> None:
    """Forget the follower's unread count: a private followee's posts leave its notifications."""
    services.unread_counts_forget(user_ids=[event.follower_id])


def follow_approved(event: FollowRequestApproved) -> None:
    """Forget the requester's unread count: the private owner's posts now show in it."""
    services.unread_counts_forget(user_ids=[event.requester_id])


def post_recipients(event: PostDeleted) -> list[int]:
    """Note who was told of a post, before its notifications go with it."""
    return selectors.recipients_of_post(post_id=event.post_id)


def post_deleted(event: PostDeleted, recipients: list[int]) -> None:
    """Forget the unread counts of the accounts told of a deleted post."""
    services.unread_counts_forget(user_ids=recipients)


def post_shown_or_hidden(event: PostArchived | PostUnarchived) -> None:
    """Forget the unread counts of the accounts told of a post archived or shown again."""
    services.unread_counts_forget(user_ids=selectors.recipients_of_post(post_id=event.post_id))


def account_shown_or_hidden(
    event: AccountSuspended
    | AccountBanned
    | AccountDeactivated
    | AccountReactivated
    | AccountMadePublic
    | AccountMadePrivate,
) -> None:
    """Forget the unread counts of the accounts told of an account's activity or posts: it
    was closed or opened again, made public or private (its entries leave or come back)."""
    recipients = selectors.recipients_of_account(account_id=event.account_id)
    services.unread_counts_forget(user_ids=recipients)
