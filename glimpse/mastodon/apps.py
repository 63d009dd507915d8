from django.apps import AppConfig


class MastodonConfig(AppConfig):
    name = "glimpse.mastodon"
    label = "mastodon"

    def ready(self) -> None:
        """Push each notification added to its recipient's client apps too, tell the
        streaming connections of new, edited and deleted posts and of notifications, and
        answer the errors under the client API's roots in its shape."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe, subscribe_with_snapshot
        from glimpse.core.middleware import error_shape_register
        from glimpse.mastodon import subscribers
        from glimpse.mastodon.errors import ROOTS, bare_error_body

        error_shape_register(ROOTS, bare_error_body)

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
