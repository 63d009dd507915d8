from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "glimpse.search"
    label = "search"
