from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "glimpse.accounts"
    label = "accounts"

    def ready(self) -> None:
        # The services first: until they stop importing higher apps, those apps' API modules
        # import accounts.auth back, and must not find it half-loaded.
        from glimpse.accounts import services  # noqa: F401

        # The request limit (a lower layer) counts a token against its account.
        from glimpse.accounts.auth import token_owner
        from glimpse.core.throttle import token_owner_register

        token_owner_register(token_owner)
