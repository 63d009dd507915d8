from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "glimpse.federation"
    label = "federation"

    def ready(self) -> None:
        """Let search find accounts of other servers by their handle or address."""
        from glimpse.federation.remote.lookup import remote_account_lookup
        from glimpse.federation.switch import federation_enabled
        from glimpse.search.remote import remote_finder_register

        remote_finder_register(remote_account_lookup, available=federation_enabled)
