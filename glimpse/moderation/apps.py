from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "glimpse.moderation"
    label = "moderation"
