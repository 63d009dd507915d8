from django.apps import AppConfig


class MastodonConfig(AppConfig):
    name = "glimpse.mastodon"
    label = "mastodon"
