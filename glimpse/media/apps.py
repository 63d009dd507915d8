from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "glimpse.media"
    label = "media"
