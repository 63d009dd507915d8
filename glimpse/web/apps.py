from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "glimpse.web"
    label = "web"
