from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "glimpse.feeds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Subscribe to the changes of posts and of the graph that alter home feeds."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe
        from glimpse.feeds import subscribers

        subscribe(events.PostPublished, subscribers.post_published)
        subscribe(events.PostUnarchived, subscribers.post_published)
        subscribe(events.PostDeleted, subscribers.post_removed)
        subscribe(events.PostArchived, subscribers.post_removed)
        subscribe(events.RepostCreated, subscribers.repost_created)
        subscribe(events.RepostDeleted, subscribers.repost_deleted)
        subscribe(events.FollowCreated, subscribers.follow_created)
        subscribe(events.FollowRequestApproved, subscribers.follow_request_approved)
        subscribe(events.FollowRemoved, subscribers.follow_removed)
        subscribe(events.BlockChanged, subscribers.block_changed)
        subscribe(events.DomainBlockChanged, subscribers.domain_block_changed)
        subscribe(events.MuteChanged, subscribers.mute_changed)
