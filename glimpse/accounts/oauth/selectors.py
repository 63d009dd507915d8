"""Reads of the OAuth provider: an app by its id, and the apps an account authorised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from glimpse.accounts.models import User
from glimpse.accounts.oauth.scopes import SCOPES


@dataclass(frozen=True)
class AuthorisedApp:
    """An app holding live tokens of an account, and what they allow."""

    application_id: int
    name: str
    website: str
    scopes: tuple[str, ...]
    authorised_at: datetime


def authorised_app_list(*, user: User) -> list[AuthorisedApp]:
    """Return the apps holding live tokens of the account, most recently authorised first."""
    tokens = (
        AccessToken.objects.filter(user=user, expires__gt=timezone.now())
        .select_related("application__glimpse_app")
        .order_by("created")
    )
    found: dict[int, AuthorisedApp] = {}
    for token in tokens:
        application = token.application
        if application is None:
            continue
        known = found.get(application.pk)
        scopes = set(token.scope.split()) | set(known.scopes if known else ())
        details = getattr(application, "glimpse_app", None)
        found[application.pk] = AuthorisedApp(
            application_id=application.pk,
            name=application.name,
            website=details.website if details is not None else "",
            scopes=tuple(name for name in SCOPES if name in scopes),
            authorised_at=token.created if known is None else known.authorised_at,
        )
    return sorted(found.values(), key=lambda app: app.authorised_at, reverse=True)


def application_get(*, application_id: int) -> Application | None:
    """Return the app with this id, with its registration, or None."""
    return Application.objects.select_related("glimpse_app").filter(pk=application_id).first()
