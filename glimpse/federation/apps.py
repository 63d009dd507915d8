from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "glimpse.federation"
    label = "federation"
