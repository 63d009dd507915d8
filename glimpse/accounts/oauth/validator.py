"""Glimpse's decisions inside the OAuth 2 protocol: which grants and scopes an app may use.

django-oauth-toolkit runs the protocol and calls these hooks; each one answers from the app's
registration (``OAuthApp``) and the scope hierarchy of ``scopes.py``.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.models import Application
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from glimpse.accounts.oauth.scopes import DEFAULT_SCOPES, SCOPES, scopes_within

# Every app registered through the client API may use these, as Mastodon's apps do.
GRANT_TYPES = ("authorization_code", "client_credentials", "refresh_token")


def pkce_required(client_id: str) -> bool:
    """Tell whether an app must use PKCE: one without a secret must (RFC 9700 section 2.1.1)."""
    return not Application.objects.filter(
        client_id=client_id, client_type=Application.CLIENT_CONFIDENTIAL
    ).exists()


class GlimpseOAuth2Validator(OAuth2Validator):
    """The provider's hooks, answered from the app's registration and the scope hierarchy."""

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        """Allow the authorization code, client credentials and refresh token grants."""
        return grant_type in GRANT_TYPES

    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Any,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        """Allow known scopes that the app registered, or that one it registered covers."""
        if any(scope not in SCOPES for scope in scopes):
            return False
        return scopes_within(scopes, _registered(client))

    def get_default_scopes(
        self, client_id: str, request: Any, *args: Any, **kwargs: Any
    ) -> list[str]:
        """Return ``read`` when the app may ask for it, else every scope it registered."""
        registered = _registered(request.client)
        if scopes_within(DEFAULT_SCOPES, registered):
            return list(DEFAULT_SCOPES)
        return registered


class GlimpseScopes(BaseScopes):
    """The scopes the provider knows: the catalogue of ``scopes.py``."""

    def get_all_scopes(self) -> dict[str, str]:
        """Return every scope with what it lets an app do."""
        return dict(SCOPES)

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        """Return every scope; what one app may ask for is the validator's to decide."""
        return list(SCOPES)

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        """Return the default scopes (``read``)."""
        return list(DEFAULT_SCOPES)


def _registered(client: Any) -> list[str]:
    """Return the scopes an app registered; one without a registration may ask for none."""
    details = getattr(client, "glimpse_app", None)
    return details.scope_list if details is not None else []
