from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "glimpse.federation"
    label = "federation"

    def ready(self) -> None:
        """Send what local accounts do to other servers (``outgoing.subscribers``)."""
        from glimpse.federation.outgoing.subscribers import subscribe_all

        subscribe_all()
