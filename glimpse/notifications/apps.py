from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "glimpse.notifications"
    label = "notifications"

    def ready(self) -> None:
        """Subscribe to the activity of posts, comments, likes and follows, and to what changes
        which notifications a recipient may see."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe, subscribe_with_snapshot
        from glimpse.notifications import subscribers

        subscribe(events.PostPublished, subscribers.post_published)
        subscribe(events.PostEdited, subscribers.post_published)
        subscribe(events.PostLiked, subscribers.post_liked)
        subscribe(events.ScheduledPostFailed, subscribers.scheduled_post_failed)
        subscribe(events.PostUnliked, subscribers.post_unliked)
        subscribe(events.CommentCreated, subscribers.comment_created)
        subscribe_with_snapshot(
            events.CommentDeleted,
            snapshot=subscribers.comment_unread_counts,
            handler=subscribers.comment_deleted,
        )
        subscribe(events.CommentLiked, subscribers.comment_liked)
        subscribe(events.CommentUnliked, subscribers.comment_unliked)
        subscribe(events.FollowCreated, subscribers.follow_created)
        subscribe(events.FollowRequested, subscribers.follow_requested)
        subscribe(events.FollowRequestApproved, subscribers.follow_request_approved)
        subscribe(events.FollowRequestDenied, subscribers.follow_request_denied)
        subscribe(events.FollowRemoved, subscribers.follow_removed)
        # What a recipient may see changed: its cached unread count is forgotten.
        subscribe(events.BlockChanged, subscribers.block_changed)
        subscribe(events.DomainBlockChanged, subscribers.domain_block_changed)
        subscribe(events.FollowRemoved, subscribers.follow_ended)
        subscribe(events.FollowRequestApproved, subscribers.follow_approved)
        subscribe_with_snapshot(
            events.PostDeleted,
            snapshot=subscribers.post_recipients,
            handler=subscribers.post_deleted,
        )
        subscribe(events.PostArchived, subscribers.post_shown_or_hidden)
        subscribe(events.PostUnarchived, subscribers.post_shown_or_hidden)
        subscribe(events.AccountSuspended, subscribers.account_shown_or_hidden)
        subscribe(events.AccountBanned, subscribers.account_shown_or_hidden)
        subscribe(events.AccountDeactivated, subscribers.account_shown_or_hidden)
        subscribe(events.AccountReactivated, subscribers.account_shown_or_hidden)
        subscribe(events.AccountMadePublic, subscribers.account_shown_or_hidden)
        subscribe(events.AccountMadePrivate, subscribers.account_shown_or_hidden)
