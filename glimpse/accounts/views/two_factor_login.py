"""The second step of a log-in (a code from the app, a recovery code, or a passkey), and the
log-in with a passkey alone."""

from __future__ import annotations

import base64
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from glimpse.accounts import pending_logins, two_factor_selectors
from glimpse.accounts.pending_logins import PendingLogin
from glimpse.accounts.services import passkeys, two_factor
from glimpse.accounts.two_factor_forms import LoginCodeForm
from glimpse.core.errors import GlimpseError, InvalidInput, RateLimited, error_body
from glimpse.core.throttle import address_identity
from glimpse.core.web import INVALID_FORM_STATUS, form_error, form_status, posted, safe_next

TEMPLATE = "accounts/login_verify.html"
# A log-in with a passkey alone: its challenge and where it goes, between options and answer.
PASSKEY_LOGIN_KEY = "_glimpse_passkey_login"
EXPIRED = "Your log-in timed out or had too many wrong codes. Log in again."


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """Ask the account that gave its password for its second factor, then log it in."""
    next_url = pending_logins.pending_next(request.session)
    pending = pending_logins.pending_get(request.session)
    if pending is None:
        # Timed out: back to the password, still bound for where the person was going.
        return _restart(request, next_url or "", message=EXPIRED if next_url is not None else "")
    form = LoginCodeForm(posted(request))
    state = two_factor_selectors.two_factor_state(user=pending.user)
    context: dict[str, Any] = {"form": form, "state": state, "next": pending.next_url}
    if not form.is_bound:
        return render(request, TEMPLATE, context)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=INVALID_FORM_STATUS)
    try:
        two_factor.second_factor_verify(
            user=pending.user, code=form.cleaned_data["code"], address=address_identity(request)
        )
    except InvalidInput as error:
        if pending_logins.pending_failed(request.session):
            return _restart(request, pending.next_url, message=EXPIRED)
        return form_error(request, TEMPLATE, context, form, error)
    except GlimpseError as error:
        return form_error(request, TEMPLATE, context, form, error)
    try:
        return redirect(_finish(request, pending))
    except GlimpseError as error:  # banned or suspended since the password step
        return form_error(request, TEMPLATE, context, form, error)


@require_POST
def login_verify_passkey_options(request: HttpRequest) -> HttpResponse:
    """Answer the browser's request options for the pending account's passkeys."""
    pending = pending_logins.pending_get(request.session)
    if pending is None:
        return _json_expired()
    try:
        options, challenge = passkeys.passkey_authentication_begin(user=pending.user)
    except GlimpseError as error:
        return _json_error(error)
    pending_logins.pending_challenge_set(request.session, challenge)
    return HttpResponse(options, content_type="application/json")


@require_POST
def login_verify_passkey(request: HttpRequest) -> HttpResponse:
    """Check the passkey's answer to the challenge, then log the pending account in."""
    pending = pending_logins.pending_get(request.session)
    if pending is None or pending.challenge is None:
        return _json_expired()
    try:
        passkeys.passkey_authenticate(
            user=pending.user,
            challenge=pending.challenge,
            credential=passkeys.credential_parse(request.body),
            address=address_identity(request),
        )
    except InvalidInput as error:
        if pending_logins.pending_failed(request.session):
            return _json_expired()
        return _json_error(error)
    except GlimpseError as error:
        return _json_error(error)
    try:
        return JsonResponse({"redirect": _finish(request, pending)})
    except GlimpseError as error:
        return _json_error(error)


@require_POST
def passkey_login_options(request: HttpRequest) -> HttpResponse:
    """Answer the browser's request options for logging in with a passkey alone."""
    options, challenge = passkeys.passkey_sign_in_begin()
    request.session[PASSKEY_LOGIN_KEY] = {
        "challenge": base64.b64encode(challenge).decode(),
        "next": safe_next(request),
        "expires": time.time() + settings.GLIMPSE_TWO_FACTOR_PENDING_SECONDS,
    }
    return HttpResponse(options, content_type="application/json")


@require_POST
def passkey_login(request: HttpRequest) -> HttpResponse:
    """Log in the owner of the passkey that answered the challenge."""
    started = request.session.pop(PASSKEY_LOGIN_KEY, None)
    if started is None or started["expires"] < time.time():
        return _json_error(InvalidInput("This took too long. Try again.", code="login_expired"))
    try:
        result = passkeys.passkey_sign_in(
            challenge=base64.b64decode(started["challenge"]),
            credential=passkeys.credential_parse(request.body),
        )
    except GlimpseError as error:
        return _json_error(error)
    pending_logins.pending_clear(request.session)
    login(request, result.user)
    if result.notice:
        messages.success(request, result.notice)
    return JsonResponse({"redirect": started["next"] or reverse("home")})


def _finish(request: HttpRequest, pending: PendingLogin) -> str:
    """Log the session in (a new session key) and return where the person goes."""
    pending_logins.pending_clear(request.session)
    result = two_factor.two_factor_login_finish(user=pending.user)
    login(request, result.user)
    if result.notice:
        messages.success(request, result.notice)
    return pending.next_url or reverse("home")


def _restart(request: HttpRequest, next_url: str, *, message: str = "") -> HttpResponse:
    if message:
        messages.error(request, message)
    target = reverse("accounts:login")
    if next_url:
        target += "?" + urlencode({"next": next_url})
    return redirect(target)


def _json_expired() -> JsonResponse:
    error = InvalidInput(EXPIRED, code="login_expired")
    body = error_body(error.code, error.message)
    body["redirect"] = reverse("accounts:login")
    return JsonResponse(body, status=400)


def _json_error(error: GlimpseError) -> JsonResponse:
    message = error.message
    if isinstance(error, RateLimited):
        message = "Too many attempts. Wait a while, then try again."
    response = JsonResponse(error_body(error.code, message), status=form_status(error))
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response
