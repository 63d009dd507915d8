from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "glimpse.stories"
    label = "stories"
