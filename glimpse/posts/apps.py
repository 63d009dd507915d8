from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "glimpse.posts"
    label = "posts"

    def ready(self) -> None:
        """Subscribe to the media changes that alter posts' cached cards."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe
        from glimpse.posts import subscribers

        subscribe(events.MediaRendered, subscribers.media_rendered)
