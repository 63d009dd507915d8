"""Sign-up, log-in, log-out and password reset pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from glimpse.accounts import services
from glimpse.accounts.forms import (
    LoginForm,
    PasswordResetRequestForm,
    SetPasswordForm,
    SignupForm,
)
from glimpse.accounts.pending_logins import pending_start
from glimpse.accounts.two_factor_selectors import two_factor_enabled
from glimpse.core.errors import GlimpseError, InvalidInput
from glimpse.core.http import client_ip
from glimpse.core.throttle import address_identity
from glimpse.core.web import INVALID_FORM_STATUS, form_error, posted, safe_next

# The reset token is moved from the URL into the session, as Django's own view does, so
# that it does not linger in the address bar, the history or the Referer header.
RESET_SESSION_KEY = "_glimpse_password_reset_token"
RESET_URL_TOKEN = "set-password"  # noqa: S105 - a URL placeholder, not a secret


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account from the sign-up form and log it in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(posted(request))
    template = "accounts/signup.html"
    if not form.is_bound:
        return render(request, template, {"form": form})
    if not form.is_valid():
        # The other fields' problems too (a taken username, a weak password): all at once.
        found = services.signup_problems(
            username=form.data.get("username", ""),
            email=form.data.get("email", ""),
            password=form.data.get("password", ""),
        )
        form.add_problems(found)
        return render(request, template, {"form": form}, status=INVALID_FORM_STATUS)
    try:
        services.signup_throttle(client_ip=client_ip(request))
        user = services.account_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
    except GlimpseError as error:
        return form_error(request, template, {"form": form}, form, error)
    login(request, user)
    messages.success(request, f"Welcome to Glimpse, @{user.username}! Add a photo and a bio.")
    return redirect("home")


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Log in with a username or email and a password."""
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = LoginForm(posted(request))
    template = "accounts/login.html"
    context: dict[str, Any] = {"form": form, "next": next_url}
    if not form.is_bound:
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=INVALID_FORM_STATUS)
    try:
        result = services.account_authenticate(
            login=form.cleaned_data["login"],
            password=form.cleaned_data["password"],
            address=address_identity(request),
        )
    except GlimpseError as error:
        return form_error(request, template, context, form, error)
    if two_factor_enabled(user=result.user):
        # Not logged in yet: the second step (views/two_factor_login.py) does it.
        pending_start(request.session, user=result.user, next_url=next_url)
        return redirect("accounts:login_verify")
    login(request, result.user)
    if result.notice:
        messages.success(request, result.notice)
    return redirect(next_url or "home")


@require_http_methods(["GET", "HEAD", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """Ask to confirm (GET: the page the navigation's link opens without JavaScript), then end
    the web session (POST only)."""
    if request.method != "POST":
        if not request.user.is_authenticated:
            return redirect("home")
        return render(request, "accounts/logout.html", {"back": safe_next(request)})
    logout(request)
    messages.info(request, "You are logged out. See you soon!")
    return redirect("home")


# --- Password reset -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Email a reset link; the answer is the same whether the address is known or not."""
    form = PasswordResetRequestForm(posted(request))
    template = "accounts/password_reset_form.html"
    if not form.is_bound:
        return render(request, template, {"form": form})
    if not form.is_valid():
        return render(request, template, {"form": form}, status=INVALID_FORM_STATUS)
    try:
        services.password_reset_request(
            email=form.cleaned_data["email"], client_ip=client_ip(request)
        )
    except GlimpseError as error:
        return form_error(request, template, {"form": form}, form, error)
    return redirect("accounts:password_reset_done")


@require_safe
def password_reset_done(request: HttpRequest) -> HttpResponse:
    """Say that a link was sent if an account uses the address."""
    return render(request, "accounts/password_reset_done.html")


@never_cache
@sensitive_post_parameters("new_password", "new_password_again")
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Choose a new password from an emailed link."""
    if token != RESET_URL_TOKEN:
        request.session[RESET_SESSION_KEY] = token
        return redirect("accounts:password_reset_confirm", uidb64=uidb64, token=RESET_URL_TOKEN)
    template = "accounts/password_reset_confirm.html"
    secret = request.session.get(RESET_SESSION_KEY, "")
    form = SetPasswordForm(posted(request))
    if not secret:
        return render(request, template, {"form": form, "invalid_link": True}, status=400)
    if not form.is_bound:
        try:
            services.password_reset_link_check(uidb64=uidb64, token=secret)
        except InvalidInput:
            request.session.pop(RESET_SESSION_KEY, None)
            return render(request, template, {"form": form, "invalid_link": True}, status=400)
        return render(request, template, {"form": form})
    if not form.is_valid():
        return render(request, template, {"form": form}, status=INVALID_FORM_STATUS)
    try:
        services.password_reset_confirm(
            uidb64=uidb64, token=secret, new_password=form.cleaned_data["new_password"]
        )
    except InvalidInput as error:
        if error.code == "invalid_link":
            request.session.pop(RESET_SESSION_KEY, None)
            context = {"form": form, "invalid_link": True}
            return render(request, template, context, status=400)
        return form_error(request, template, {"form": form}, form, error)
    request.session.pop(RESET_SESSION_KEY, None)
    return redirect("accounts:password_reset_complete")


@require_safe
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    """Confirm that the new password is set."""
    return render(request, "accounts/password_reset_complete.html")
