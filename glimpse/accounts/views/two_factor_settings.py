"""The two-factor settings: the authenticator app, passkeys, recovery codes, turning it off."""

from __future__ import annotations

import base64
import time
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from glimpse.accounts import two_factor_selectors
from glimpse.accounts.services import passkeys, two_factor
from glimpse.accounts.two_factor_forms import PasskeyAddForm, PasswordConfirmForm, TotpEnableForm
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, InvalidInput, NotFound, RateLimited, error_body
from glimpse.core.throttle import address_identity
from glimpse.core.web import INVALID_FORM_STATUS, form_error, form_status, wait_text

PAGE = "accounts/two_factor.html"
# The passkey being added: its name and challenge, between the options and the credential.
REGISTRATION_KEY = "_glimpse_passkey_registration"
REGISTRATION_SECONDS = 5 * 60


@login_required
@require_safe
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Show the account's second factors and what can be done with them."""
    return _page(request)


@never_cache
@login_required
@sensitive_post_parameters("password", "code")
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code and secret of a new authenticator app; turn it on with a first code."""
    user = request_viewer(request)
    try:
        setup = two_factor.totp_setup_begin(user=user)
    except GlimpseError as error:
        messages.info(request, error.message)
        return redirect("accounts:two_factor")
    form = TotpEnableForm(request.POST if request.method == "POST" else None)
    qr = segno.make(setup.uri, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff", omitsize=True, title="QR code for the app"
    )
    context: dict[str, Any] = {"form": form, "setup": setup, "qr": qr}
    template = "accounts/two_factor_totp.html"
    if not form.is_bound:
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=INVALID_FORM_STATUS)
    try:
        codes = two_factor.totp_enable(
            user=user,
            password=form.cleaned_data["password"],
            code=form.cleaned_data["code"],
            address=address_identity(request),
        )
    except GlimpseError as error:
        return form_error(request, template, context, form, error)
    if not codes:
        messages.success(request, "Your authenticator app is on.")
        return redirect("accounts:two_factor")
    return _codes_page(request, codes, first=True)


@login_required
@sensitive_post_parameters("password")
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes and show the new ones, this once."""
    form = PasswordConfirmForm(request.POST, auto_id="codes_%s")
    if not form.is_valid():
        return _page(request, codes_form=form, status=INVALID_FORM_STATUS)
    try:
        codes = two_factor.recovery_codes_regenerate(
            user=request_viewer(request),
            password=form.cleaned_data["password"],
            address=address_identity(request),
        )
    except GlimpseError as error:
        return form_error(request, PAGE, _context(request, codes_form=form), form, error)
    return _codes_page(request, codes, first=False)


@login_required
@sensitive_post_parameters("password")
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off, after checking the password."""
    form = PasswordConfirmForm(request.POST, auto_id="off_%s")
    if not form.is_valid():
        return _page(request, disable_form=form, status=INVALID_FORM_STATUS)
    try:
        two_factor.two_factor_disable(
            user=request_viewer(request),
            password=form.cleaned_data["password"],
            address=address_identity(request),
        )
    except GlimpseError as error:
        return form_error(request, PAGE, _context(request, disable_form=form), form, error)
    messages.success(request, "Two-factor sign-in is off. Logging in takes your password alone.")
    return redirect("accounts:two_factor")


@login_required
@sensitive_post_parameters("password")
@require_POST
def passkey_options(request: HttpRequest) -> HttpResponse:
    """Check the password and name of a new passkey; answer the browser's creation options."""
    form = PasskeyAddForm(request.POST)
    if not form.is_valid():
        fields = {name: [str(m) for m in found] for name, found in form.errors.items()}
        return _json_error(InvalidInput(fields=fields))
    try:
        options, challenge = passkeys.passkey_registration_begin(
            user=request_viewer(request),
            password=form.cleaned_data["password"],
            name=form.cleaned_data["name"],
            address=address_identity(request),
        )
    except GlimpseError as error:
        return _json_error(error)
    request.session[REGISTRATION_KEY] = {
        "name": form.cleaned_data["name"],
        "challenge": base64.b64encode(challenge).decode(),
        "expires": time.time() + REGISTRATION_SECONDS,
    }
    return HttpResponse(options, content_type="application/json")


@login_required
@require_POST
def passkey_add(request: HttpRequest) -> HttpResponse:
    """Keep the passkey the browser made for the options of ``passkey_options``."""
    started = request.session.pop(REGISTRATION_KEY, None)
    if started is None or started["expires"] < time.time():
        message = "This took too long. Start adding the passkey again."
        return _json_error(InvalidInput(message, code="passkey_expired"))
    try:
        passkey, codes = passkeys.passkey_register(
            user=request_viewer(request),
            name=started["name"],
            challenge=base64.b64decode(started["challenge"]),
            credential=passkeys.credential_parse(request.body),
        )
    except GlimpseError as error:
        return _json_error(error)
    if codes:
        # The codes go to this answer only, like every secret shown once.
        body = {"recovery_codes": codes, "redirect": reverse("accounts:two_factor")}
        response = JsonResponse(body)
        response["Cache-Control"] = "no-store"
        return response
    messages.success(request, f"The passkey “{passkey.name}” is added.")
    return JsonResponse({"redirect": reverse("accounts:two_factor")})


@login_required
@sensitive_post_parameters("password")
@require_POST
def passkey_remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    """Remove one of the viewer's passkeys, after checking the password."""
    form = PasswordConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type your password to remove a passkey.")
        return redirect("accounts:two_factor")
    try:
        passkeys.passkey_remove(
            user=request_viewer(request),
            passkey_id=passkey_id,
            password=form.cleaned_data["password"],
            address=address_identity(request),
        )
    except NotFound as error:
        raise Http404(error.message) from error
    except GlimpseError as error:
        messages.error(request, _message(error))
        return redirect("accounts:two_factor")
    messages.success(request, "The passkey is removed.")
    return redirect("accounts:two_factor")


def _page(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    return render(request, PAGE, _context(request, **forms), status=status)


def _context(request: HttpRequest, **forms: Any) -> dict[str, Any]:
    # One page, several password fields: each form names its own ids.
    return {
        "state": two_factor_selectors.two_factor_state(user=request_viewer(request)),
        "codes_form": forms.get("codes_form") or PasswordConfirmForm(auto_id="codes_%s"),
        "disable_form": forms.get("disable_form") or PasswordConfirmForm(auto_id="off_%s"),
        "passkey_form": PasskeyAddForm(auto_id="passkey_%s"),
    }


def _codes_page(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    # Rendered, not redirected, and never cached: the codes are stored only hashed.
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "first": first})
    response["Cache-Control"] = "no-store"
    return response


def _message(error: GlimpseError) -> str:
    if isinstance(error, RateLimited):
        return f"Too many attempts. Try again in {wait_text(error.retry_after)}."
    found = [message for messages_ in error.fields.values() for message in messages_]
    return " ".join(found) or error.message


def _json_error(error: GlimpseError) -> JsonResponse:
    """Answer a refusal in the one error shape; the page's script shows its message."""
    body = error_body(error.code, _message(error), error.fields)
    response = JsonResponse(body, status=form_status(error))
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response
