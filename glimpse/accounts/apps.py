from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "glimpse.accounts"
    label = "accounts"
