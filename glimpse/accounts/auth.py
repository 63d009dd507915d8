"""How the API knows who is calling: a bearer token, or the web session with CSRF.

A bearer token is a personal API token or an OAuth access token (``oauth/credentials.py``
tells them apart); an OAuth token must hold ``read`` to read and ``write`` to change anything.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from oauth2_provider.models import AccessToken

from glimpse.accounts import services
from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.oauth.credentials import Credential, credential_find, method_scope
from glimpse.accounts.viewers import viewer_or_none
from glimpse.core.errors import NotAuthenticated, PermissionDenied


class BearerTokenAuth(HttpBearer):
    """Authenticate ``Authorization: Bearer ...`` against the stored digests."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        """Return the token's account, remembering the token on the request.

        An app's own token (client credentials) acts for no account: not a way in here. An
        OAuth token without the scope the method needs is a 403.
        """
        found = request_credential_find(request, token)
        if found is None or found.user is None:
            return None
        if found.api_token is not None:
            services.token_touch(token=found.api_token)
            request.api_token = found.api_token  # type: ignore[attr-defined]
        elif not found.allows(method_scope(request.method or "GET")):
            raise PermissionDenied(
                "This app's token does not allow this: it needs the "
                f"'{method_scope(request.method or 'GET')}' scope.",
                code="insufficient_scope",
            )
        else:
            request.oauth_token = found.access_token  # type: ignore[attr-defined]
        request.user = found.user
        return found.user


class SessionCsrfAuth(SessionAuth):
    """The web session; on unsafe methods it must carry its CSRF token."""

    def __call__(self, request: HttpRequest) -> User | None:
        """Without a signed-in session this is not the caller's way in: a 401, not a CSRF 403
        (a revoked or mistyped bearer token ends here too)."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


# Either a bearer token or the web session; the session must carry CSRF on unsafe methods.
api_auth = [BearerTokenAuth(), SessionCsrfAuth(csrf=True)]


def optional_viewer(request: HttpRequest) -> User | None:
    """Return the caller of a public endpoint, None when anonymous; a bad token is a 401."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        user = BearerTokenAuth().authenticate(request, secret.strip())
        if scheme.lower() != "bearer" or user is None:
            raise NotAuthenticated("This token is not valid. Log in again for a new one.")
        return user
    return viewer_or_none(request.user)


def token_owner(request: HttpRequest, secret: str) -> str | None:
    """Return who an active token is counted against, remembering the lookup: its account
    (``user:<id>``), or for an app acting for itself its app (``app:<id>``).

    The request limit asks first (every token of an account shares its count); the API's
    authentication then reuses the answer, so a request still costs one query for its token.
    """
    found = request_credential_find(request, secret)
    if found is None:
        return None
    if found.user is not None:
        return f"user:{found.user.pk}"
    return f"app:{found.application_id}" if found.application_id is not None else None


def request_credential_find(request: HttpRequest, secret: str) -> Credential | None:
    """Return what a bearer secret stands for, looked up once a request whoever asks first."""
    looked_up: tuple[str, Credential | None] | None = getattr(
        request, "_glimpse_token_lookup", None
    )
    if looked_up is not None and looked_up[0] == secret:
        return looked_up[1]
    found = credential_find(secret=secret)
    request._glimpse_token_lookup = (secret, found)  # type: ignore[attr-defined]
    return found


def request_token(request: HttpRequest) -> ApiToken | None:
    """Return the API token this request was authenticated with, if any."""
    return getattr(request, "api_token", None)


def request_oauth_token(request: HttpRequest) -> AccessToken | None:
    """Return the OAuth access token this request was authenticated with, if any."""
    return getattr(request, "oauth_token", None)


def request_user(request: HttpRequest) -> User:
    """Return the authenticated account of an API request."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
