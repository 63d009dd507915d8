from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "glimpse.federation"
    label = "federation"

    def ready(self) -> None:
        """Tell other servers what local accounts do: follows, reports, and the rest."""
        from glimpse.federation.follows.subscribers import subscribe_follows
        from glimpse.federation.outgoing.subscribers import subscribe_all
        from glimpse.federation.reports.subscribers import subscribe_reports

        subscribe_follows()
        subscribe_reports()
        subscribe_all()
