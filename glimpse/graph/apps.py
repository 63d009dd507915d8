from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "glimpse.graph"
    label = "graph"
