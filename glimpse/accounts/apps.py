from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "glimpse.accounts"
    label = "accounts"

    def ready(self) -> None:
        # The request limit (a lower layer) counts a token against its account.
        from glimpse.accounts.auth import token_owner
        from glimpse.core.throttle import token_owner_register

        token_owner_register(token_owner)
