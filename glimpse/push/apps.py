from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "glimpse.push"
    label = "push"

    def ready(self) -> None:
        """Push each notification added to its recipient's devices."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe
        from glimpse.push import subscribers

        subscribe(events.NotificationAdded, subscribers.notification_added)
