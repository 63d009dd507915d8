from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "glimpse.privacy"
    label = "privacy"
