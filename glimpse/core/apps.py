from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "glimpse.core"
    label = "core"
