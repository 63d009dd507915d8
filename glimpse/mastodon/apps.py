from django.apps import AppConfig


class MastodonConfig(AppConfig):
    name = "glimpse.mastodon"
    label = "mastodon"

    def ready(self) -> None:
        """Push each notification added to its recipient's client apps too."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe
        from glimpse.mastodon import subscribers

        subscribe(events.NotificationAdded, subscribers.notification_added)
