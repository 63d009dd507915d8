"""Writes of the OAuth provider: register an app, and take back what an account granted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from glimpse.accounts.models import OAuthApp, User
from glimpse.accounts.oauth.scopes import scopes_parse
from glimpse.core.errors import InvalidInput, NotFound

OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
NAME_MAX = 100
REDIRECT_URIS_MAX = 10
REDIRECT_URI_MAX_LENGTH = 2000

# An absolute URI: a scheme (RFC 3986 section 3.1), a colon, and something after it. Apps
# register web addresses, their own schemes (``com.example.app:/oauth``) and the oob one.
_ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
# Plain http carries the code in clear: only to the device the app runs on (RFC 8252).
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
# Schemes a browser would run or read locally instead of handing to an app.
_REFUSED_SCHEMES = frozenset({"javascript", "data", "vbscript", "file", "blob", "about"})


def oauth_app_register(
    *, name: str, redirect_uris: Sequence[str], scopes: str, website: str = ""
) -> tuple[Application, str]:
    """Register an OAuth app; its client secret is returned once and stored only hashed.

    Every problem is a 422 naming its field, and nothing is created then.
    """
    problems: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        problems["client_name"] = ["An app needs a name."]
    elif len(name) > NAME_MAX:
        problems["client_name"] = [f"App names have at most {NAME_MAX} characters."]
    uris = list(dict.fromkeys(uri.strip() for uri in redirect_uris if uri.strip()))
    uri_problems = _redirect_uri_problems(uris)
    if uri_problems:
        problems["redirect_uris"] = uri_problems
    website = website.strip()
    if website and not _is_web_address(website):
        problems["website"] = ["The website must be an http or https address."]
    try:
        granted = scopes_parse(scopes)
    except InvalidInput as error:
        problems.update(error.fields)
    if problems:
        first = next(iter(problems.values()))[0]
        raise InvalidInput(first, fields=problems)
    secret = generate_client_secret()
    with transaction.atomic():
        application = Application.objects.create(
            name=name,
            redirect_uris=" ".join(uris),
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            client_secret=secret,
        )
        OAuthApp.objects.create(application=application, website=website, scopes=" ".join(granted))
    return application, secret


def authorised_app_revoke(*, user: User, application_id: int) -> None:
    """Take back everything an account granted one app: its tokens and pending codes.

    An app the account has not authorised is a 404, whoever registered it.
    """
    with transaction.atomic():
        refresh = RefreshToken.objects.filter(user=user, application_id=application_id)
        access = AccessToken.objects.filter(user=user, application_id=application_id)
        grants = Grant.objects.filter(user=user, application_id=application_id)
        removed = refresh.delete()[0] + access.delete()[0] + grants.delete()[0]
    if not removed:
        raise NotFound("You have not authorised this app.")


def oauth_token_revoke(*, user: User, access_token_id: int) -> None:
    """Revoke one of the account's OAuth access tokens, with the refresh token that renews it."""
    with transaction.atomic():
        RefreshToken.objects.filter(user=user, access_token_id=access_token_id).delete()
        AccessToken.objects.filter(user=user, pk=access_token_id).delete()


def oauth_tokens_revoke_all(*, user: User) -> None:
    """Take back every app's access to the account (a password reset does)."""
    RefreshToken.objects.filter(user=user).delete()
    AccessToken.objects.filter(user=user).delete()
    Grant.objects.filter(user=user).delete()


def _redirect_uri_problems(uris: list[str]) -> list[str]:
    if not uris:
        return ["Give at least one redirect URI (or urn:ietf:wg:oauth:2.0:oob)."]
    if len(uris) > REDIRECT_URIS_MAX:
        return [f"An app has at most {REDIRECT_URIS_MAX} redirect URIs."]
    problems = []
    for uri in uris:
        if len(uri) > REDIRECT_URI_MAX_LENGTH or not _ABSOLUTE_URI.match(uri):
            problems.append(f"Not an absolute URI: {uri[:100]}")
        elif uri.split(":", 1)[0].lower() in _REFUSED_SCHEMES:
            problems.append(f"This kind of address cannot be a redirect URI: {uri[:100]}")
        elif "#" in uri:
            problems.append(f"A redirect URI cannot have a fragment: {uri[:100]}")
        elif uri.lower().startswith(("http:", "https:")) and not _is_web_address(uri):
            problems.append(f"Not a valid web address: {uri[:100]}")
        elif uri.lower().startswith("http:") and urlsplit(uri).hostname not in _LOOPBACK:
            problems.append(
                "Use https: plain http is only for the app's own device "
                f"(127.0.0.1, [::1], localhost): {uri[:100]}"
            )
    return problems


def _is_web_address(value: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True
