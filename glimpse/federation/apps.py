from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "glimpse.federation"
    label = "federation"

    def ready(self) -> None:
        """Tell other servers what local accounts do (follows, reports, and the rest), and let
        search find accounts and posts of other servers by their handle or address."""
        from glimpse.federation.follows.subscribers import subscribe_follows
        from glimpse.federation.outgoing.subscribers import subscribe_all
        from glimpse.federation.remote.lookup import remote_lookup
        from glimpse.federation.reports.subscribers import subscribe_reports
        from glimpse.federation.switch import federation_enabled
        from glimpse.search.remote import remote_finder_register

        subscribe_follows()
        subscribe_reports()
        subscribe_all()
        remote_finder_register(remote_lookup, available=federation_enabled)
