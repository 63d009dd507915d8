from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "glimpse.notifications"
    label = "notifications"

    def ready(self) -> None:
        """Subscribe to the activity of posts, comments, likes and follows."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe, subscribe_with_snapshot
        from glimpse.notifications import subscribers

        subscribe(events.PostPublished, subscribers.post_published)
        subscribe(events.PostEdited, subscribers.post_published)
        subscribe(events.PostLiked, subscribers.post_liked)
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
