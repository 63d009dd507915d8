from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "glimpse.posts"
    label = "posts"
