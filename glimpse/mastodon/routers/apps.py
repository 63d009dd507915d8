"""``/api/v1/apps``: an app registers itself, and checks its own token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.accounts.oauth import selectors as oauth_selectors
from glimpse.accounts.oauth import services as oauth_services
from glimpse.mastodon.auth import TokenAuth, request_credential
from glimpse.mastodon.errors import MastodonError
from glimpse.mastodon.params import request_fields
from glimpse.mastodon.presenters import application_json
from glimpse.mastodon.schemas import AppIn, ApplicationOut

router = Router(tags=["apps"])


@router.post("/apps", response=ApplicationOut, auth=None)
def app_create(request: HttpRequest) -> dict[str, Any]:
    """Register an app; the answer holds its client id and secret, this once."""
    data = AppIn.model_validate(request_fields(request))
    application, secret = oauth_services.oauth_app_register(
        name=data.client_name,
        redirect_uris=_words(data.redirect_uris),
        scopes=" ".join(_words(data.scopes)),
        website=data.website or "",
    )
    return application_json(application, client_secret=secret)


@router.get(
    "/apps/verify_credentials",
    response=ApplicationOut,
    auth=TokenAuth(user_required=False),
)
def app_verify_credentials(request: HttpRequest) -> dict[str, Any]:
    """Return the app the token was issued to."""
    application_id = request_credential(request).application_id
    application = (
        oauth_selectors.application_get(application_id=application_id)
        if application_id is not None
        else None
    )
    if application is None:
        # A personal API token belongs to an account, not to an app.
        raise MastodonError(422, "This token was not issued to an app")
    return application_json(application)


def _words(value: str | list[str]) -> list[str]:
    """Return the space- or newline-separated words of a string or of a list of strings."""
    items = [value] if isinstance(value, str) else value
    return [word for item in items for word in item.split()]
