"""The one place a bearer secret becomes who is calling and what it may do.

Two kinds of secret exist, and both APIs accept both: a personal API token (``glp_...``),
which acts fully as its account, and an OAuth access token, which acts as the account that
approved the app (or as the app alone, for a client-credentials token) within the scopes it
was granted. Both are stored only as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import timezone
from oauth2_provider.models import AccessToken

from glimpse.accounts import selectors
from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.oauth.scopes import ALL_SCOPES, READ, WRITE, scope_allows
from glimpse.accounts.tokens import TOKEN_PREFIX


@dataclass(frozen=True)
class Credential:
    """What a bearer secret stands for: an account (or none), its scopes, and the token."""

    user: User | None  # None: an app acting for itself (client credentials)
    scopes: frozenset[str]
    api_token: ApiToken | None = None
    access_token: AccessToken | None = None

    @property
    def application_id(self) -> int | None:
        """Return the id of the OAuth app the token was issued to, if any."""
        return self.access_token.application_id if self.access_token is not None else None

    def allows(self, scope: str) -> bool:
        """Tell whether the token's scopes cover ``scope``."""
        return scope_allows(self.scopes, scope)


def credential_find(*, secret: str) -> Credential | None:
    """Return what an active bearer secret stands for, or None for an unknown, expired or
    revoked one, or one whose account can no longer sign in."""
    if not secret:
        return None
    if secret.startswith(TOKEN_PREFIX):
        token = selectors.token_find(secret=secret)
        if token is None:
            return None
        return Credential(user=token.user, scopes=ALL_SCOPES, api_token=token)
    access = (
        AccessToken.objects.select_related("user")
        .filter(token_checksum=_checksum(secret), expires__gt=timezone.now())
        .first()
    )
    if access is None or (access.user is not None and not access.user.is_active):
        return None
    return Credential(user=access.user, scopes=frozenset(access.scope.split()), access_token=access)


def method_scope(method: str) -> str:
    """Return the scope Glimpse's own API asks of an OAuth token for an HTTP method: reading
    needs ``read``, anything that changes something needs ``write``."""
    return READ if method in ("GET", "HEAD", "OPTIONS") else WRITE


def _checksum(secret: str) -> str:
    # The digest the provider stores each token under (its ``token_checksum``).
    return hashlib.sha256(secret.encode()).hexdigest()
