from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "glimpse.insights"
    label = "insights"

    def ready(self) -> None:
        """Subscribe to the posts shown and to the follows gained and lost."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe
        from glimpse.insights import subscribers

        subscribe(events.PostsShown, subscribers.posts_shown)
        subscribe(events.FollowCreated, subscribers.follow_created)
        subscribe(events.FollowRequestApproved, subscribers.follow_request_approved)
        subscribe(events.FollowRemoved, subscribers.follow_removed)
        subscribe(events.BlockChanged, subscribers.block_changed)
