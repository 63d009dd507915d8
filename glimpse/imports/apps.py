from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "glimpse.imports"
    label = "imports"

    def ready(self) -> None:
        """Forget an erased account's uploaded archives with the rest of its files."""
        from glimpse.core import events
        from glimpse.core.event_bus import subscribe
        from glimpse.imports import subscribers

        subscribe(events.AccountErased, subscribers.account_erased)
