"""The home page and profiles."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from glimpse.accounts import selectors
from glimpse.accounts.views.common import (
    avatar_of,
    viewer_or_none,
)
from glimpse.core.errors import NotFound


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show the landing page to visitors and the home page to logged-in accounts."""
    viewer = viewer_or_none(request)
    if viewer is None:
        return render(request, "landing.html")
    newest = [(account, avatar_of(account)) for account in selectors.account_newest(viewer=viewer)]
    context = {"newest": newest, "avatar": avatar_of(viewer, 150)}
    return render(request, "home.html", context)


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """Show an account's profile: picture, names, bio, counts and (soon) its grid."""
    viewer = viewer_or_none(request)
    try:
        account = selectors.account_get(viewer=viewer, username=username)
    except NotFound as error:
        raise Http404(error.message) from error
    if account.username != username:
        return redirect("profile", username=account.username)
    is_own = viewer is not None and viewer.pk == account.pk
    context = {"account": account, "avatar": avatar_of(account, 320), "is_own": is_own}
    return render(request, "accounts/profile.html", context)
