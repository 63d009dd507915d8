from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "glimpse.notifications"
    label = "notifications"
