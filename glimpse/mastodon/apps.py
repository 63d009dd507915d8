from django.apps import AppConfig


class MastodonConfig(AppConfig):
    name = "glimpse.mastodon"
    label = "mastodon"

    def ready(self) -> None:
        """Push each notification added to its recipient's client apps too, and tell the
        streaming connections of new, edited and deleted posts and of notifications."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe, subscribe_with_snapshot
        from glimpse.mastodon import subscribers

        subscribe(events.NotificationAdded, subscribers.notification_added)
        subscribe(events.NotificationAdded, subscribers.notification_streamed_to_user)
        subscribe(events.PostPublished, subscribers.post_published)
        subscribe(events.PostEdited, subscribers.post_edited)
        subscribe(events.PostArchived, subscribers.post_archived)
        subscribe_with_snapshot(
            events.PostDeleted,
            snapshot=subscribers.post_deleted_snapshot,
            handler=subscribers.post_deleted,
        )
