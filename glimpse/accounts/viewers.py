"""Who is asking: the one normaliser of "viewer or anonymous", and the viewer of a request."""

from __future__ import annotations

from django.http import HttpRequest

from glimpse.accounts.models import User


def viewer_or_none(user: object) -> User | None:
    """Return the account of a signed-in caller, or None for anonymous ones."""
    return (
        user if isinstance(user, User) and user.pk is not None and user.is_authenticated else None
    )


def request_viewer(request: HttpRequest) -> User:
    """Return the signed-in account of a request to a login-required view."""
    viewer = viewer_or_none(request.user)
    assert viewer is not None, "a login-required view was reached without a signed-in account"
    return viewer


def request_viewer_or_none(request: HttpRequest) -> User | None:
    """Return the signed-in account of a request, or None for a visitor."""
    return viewer_or_none(request.user)
