from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "glimpse.federation"
    label = "federation"

    def ready(self) -> None:
        from glimpse.federation.follows.subscribers import subscribe_follows
        from glimpse.federation.reports.subscribers import subscribe_reports

        subscribe_follows()
        subscribe_reports()
