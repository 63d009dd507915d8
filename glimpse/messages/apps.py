from django.apps import AppConfig


class MessagesConfig(AppConfig):
    name = "glimpse.messages"
    label = "direct"  # "messages" is taken by django.contrib.messages

    def ready(self) -> None:
        from glimpse.messages import subscribers

        subscribers.subscribe_all()
