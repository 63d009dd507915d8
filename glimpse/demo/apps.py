from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Data to try the product with: the demo accounts and the synthetic network.

    The top of the stack: it uses every app below it, and none of them imports it.
    """

    name = "glimpse.demo"
    label = "demo"
