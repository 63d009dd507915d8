"""The page where an account lists the accounts it moved from and moves to another one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from glimpse.accounts.models import User
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, NotFound
from glimpse.core.web import INVALID_FORM_STATUS, apply_error, form_status
from glimpse.federation.moves import aliases, selectors, services
from glimpse.federation.moves.forms import AliasForm, MoveForm
from glimpse.federation.switch import federation_enabled

TEMPLATE = "federation/moves/settings.html"


@login_required
@require_safe
def move_settings(request: HttpRequest) -> HttpResponse:
    """Show the account's aliases and the form that moves it to another account."""
    return _page(request, _owner(request))


@login_required
@require_POST
def alias_add(request: HttpRequest) -> HttpResponse:
    """List an old account among the account's aliases."""
    user = _owner(request)
    form = AliasForm(request.POST)
    if not form.is_valid():
        return _page(request, user, alias_form=form, status=INVALID_FORM_STATUS)
    try:
        alias = aliases.alias_add(user=user, address=form.cleaned_data["address"])
    except GlimpseError as error:
        apply_error(form, error)
        return _page(request, user, alias_form=form, status=form_status(error))
    messages.success(request, f"{selectors.handle_of(alias.account)} is listed as your alias.")
    return redirect("federation:move_settings")


@login_required
@require_POST
def alias_remove(request: HttpRequest, alias_id: int) -> HttpResponse:
    """Take an old account off the account's aliases."""
    try:
        aliases.alias_remove(user=_owner(request), alias_id=alias_id)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, "The alias is removed.")
    return redirect("federation:move_settings")


@login_required
@sensitive_post_parameters("password")
@require_POST
def move(request: HttpRequest) -> HttpResponse:
    """Move the account to another one, after its password."""
    user = _owner(request)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _page(request, user, move_form=form, status=INVALID_FORM_STATUS)
    try:
        new = services.account_move(
            user=user, target=form.cleaned_data["target"], password=form.cleaned_data["password"]
        )
    except GlimpseError as error:
        apply_error(form, error)
        return _page(request, user, move_form=form, status=form_status(error))
    messages.success(
        request, f"Your account has moved to {selectors.handle_of(new)}. Your followers follow it."
    )
    return redirect("federation:move_settings")


def _owner(request: HttpRequest) -> User:
    """Return the viewer, while the server federates (moves need other servers)."""
    if not federation_enabled():
        raise Http404("This server does not connect to other servers.")
    return request_viewer(request)


def _page(
    request: HttpRequest,
    user: User,
    *,
    alias_form: AliasForm | None = None,
    move_form: MoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "aliases": [
            (alias, selectors.handle_of(alias.account)) for alias in selectors.aliases_of(user=user)
        ],
        "state": selectors.move_state(user=user),
        "alias_form": alias_form or AliasForm(),
        "move_form": move_form or MoveForm(),
        "max_aliases": aliases.MAX_ALIASES,
    }
    return render(request, TEMPLATE, context, status=status)
