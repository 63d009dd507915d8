from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "glimpse.feeds"
    default_auto_field = "django.db.models.BigAutoField"
