"""Who calls the client API and with which scopes: the building block of every endpoint.

``TokenAuth("read:statuses")`` on a route lets through a bearer token whose scopes cover
``read:statuses`` (``read`` does, a personal ``glp_`` token does); without a valid token the
answer is 401, with a token lacking the scope 403, and with an app's own token on an
endpoint about an account 422, each in Mastodon's words. With ``optional=True`` (what
Mastodon serves to anyone: a public status, a profile, the public timeline) a request without
a token is let through as an anonymous viewer; a token sent is still checked the same way.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from glimpse.accounts.auth import request_credential_find
from glimpse.accounts.models import User
from glimpse.accounts.oauth.credentials import Credential
from glimpse.mastodon.errors import OUTSIDE_SCOPES, USER_REQUIRED, MastodonError


class TokenAuth(HttpBearer):
    """Require a bearer token holding any one of ``scopes`` (none: any valid token)."""

    def __init__(self, *scopes: str, user_required: bool = True, optional: bool = False) -> None:
        super().__init__()
        self.scopes = scopes
        # Anyone may call an optional endpoint, an app acting for itself included.
        self.user_required = user_required and not optional
        self.optional = optional

    def __call__(self, request: HttpRequest) -> Credential | None:
        """Return what the request's token stands for; anonymous where the token is optional."""
        if self.optional and not request.headers.get(self.header):
            return ANONYMOUS
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Credential | None:
        """Return what the token stands for, refusing it when its scopes fall short."""
        found = request_credential_find(request, token)
        if found is None:
            return None
        if self.scopes and not any(found.allows(scope) for scope in self.scopes):
            raise MastodonError(403, OUTSIDE_SCOPES)
        if self.user_required and found.user is None:
            raise MastodonError(422, USER_REQUIRED)
        if found.user is not None:
            request.user = found.user
        return found


# Who calls an optional endpoint without a token: no account, no scope.
ANONYMOUS = Credential(user=None, scopes=frozenset())


def request_credential(request: HttpRequest) -> Credential:
    """Return the credential a client API request was authenticated with."""
    found = request.auth  # type: ignore[attr-defined]
    assert isinstance(found, Credential)
    return found


def request_account(request: HttpRequest) -> User:
    """Return the account a client API request acts for (the route requires one)."""
    user = request_credential(request).user
    assert user is not None, "a route needing an account let an app's own token through"
    return user


def request_viewer(request: HttpRequest) -> User | None:
    """Return the account a request acts for, or None for an anonymous one or an app's own."""
    return request_credential(request).user
