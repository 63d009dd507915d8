from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "glimpse.graph"
    label = "graph"

    def ready(self) -> None:
        """Subscribe to the account changes that alter follows."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe
        from glimpse.graph import subscribers

        subscribe(events.AccountMadePublic, subscribers.account_made_public)
