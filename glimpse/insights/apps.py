from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "glimpse.insights"
    label = "insights"
