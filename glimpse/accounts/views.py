"""Web pages of accounts: they parse a form, call one service or selector, and render."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from glimpse.accounts import selectors, services
from glimpse.accounts.forms import (
    AccountDeleteForm,
    AvatarForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    ProfileForm,
    SetPasswordForm,
    SignupForm,
    TokenCreateForm,
    apply_error,
)
from glimpse.accounts.models import ApiToken, User
from glimpse.core.errors import GlimpseError, InvalidInput, NotFound, RateLimited
from glimpse.core.http import client_ip
from glimpse.core.ratelimit import rate_limit_hit

# A form that fails its own shape checks is answered like the API answers bad input.
INVALID_FORM_STATUS = 422
# The reset token is moved from the URL into the session, as Django's own view does, so
# that it does not linger in the address bar, the history or the Referer header.
RESET_SESSION_KEY = "_glimpse_password_reset_token"
RESET_URL_TOKEN = "set-password"  # noqa: S105 - a URL placeholder, not a secret


@dataclass(frozen=True)
class Avatar:
    """What a template needs to draw an account's round picture, or its initial."""

    url: str | None
    initial: str
    hue: int
    label: str


def avatar_of(user: User, size: int = 150) -> Avatar:
    """Return the avatar of an account at the given size, with an initial as fallback."""
    urls = selectors.avatar_urls(user)
    # A hue derived from the username, so an account without a picture keeps its colour.
    hue = zlib.crc32(user.username.encode()) % 360
    initial = (user.name[:1] or "?").upper()
    url = urls.get(str(size)) if urls else None
    return Avatar(url=url, initial=initial, hue=hue, label=f"{user.username}'s profile picture")


# --- Home and profiles ----------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show the landing page to visitors and the home page to logged-in accounts."""
    viewer = _viewer_or_none(request)
    if viewer is None:
        return render(request, "landing.html")
    newest = [(account, avatar_of(account)) for account in selectors.account_newest(viewer=viewer)]
    context = {"newest": newest, "avatar": avatar_of(viewer, 150)}
    return render(request, "home.html", context)


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """Show an account's profile: picture, names, bio, counts and (soon) its grid."""
    viewer = _viewer_or_none(request)
    try:
        account = selectors.account_get(viewer=viewer, username=username)
    except NotFound as error:
        raise Http404(error.message) from error
    if account.username != username:
        return redirect("profile", username=account.username)
    is_own = viewer is not None and viewer.pk == account.pk
    context = {"account": account, "avatar": avatar_of(account, 320), "is_own": is_own}
    return render(request, "accounts/profile.html", context)


# --- Sign-up, log-in, log-out ---------------------------------------------------------------


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account from the sign-up form and log it in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(_posted(request))
    template = "accounts/signup.html"
    if not form.is_bound:
        return render(request, template, {"form": form})
    if not form.is_valid():
        return render(request, template, {"form": form}, status=INVALID_FORM_STATUS)
    limit, window = settings.GLIMPSE_RATE_SIGNUP
    try:
        rate_limit_hit(scope="signup", identity=client_ip(request), limit=limit, window=window)
        user = services.account_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
    except GlimpseError as error:
        return _form_error(request, template, {"form": form}, form, error)
    login(request, user)
    messages.success(request, f"Welcome to Glimpse, @{user.username}! Add a photo and a bio.")
    return redirect("home")


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Log in with a username or email and a password."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = LoginForm(_posted(request))
    template = "accounts/login.html"
    context: dict[str, Any] = {"form": form, "next": next_url}
    if not form.is_bound:
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=INVALID_FORM_STATUS)
    try:
        user = services.account_authenticate(
            login=form.cleaned_data["login"], password=form.cleaned_data["password"]
        )
    except GlimpseError as error:
        return _form_error(request, template, context, form, error)
    login(request, user)
    return redirect(next_url or "home")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """End the web session (a POST from the button in the navigation bar)."""
    logout(request)
    messages.info(request, "You are logged out. See you soon!")
    return redirect("home")


# --- Password reset -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Email a reset link; the answer is the same whether the address is known or not."""
    form = PasswordResetRequestForm(_posted(request))
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
        return _form_error(request, template, {"form": form}, form, error)
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
    form = SetPasswordForm(_posted(request))
    if not secret:
        return render(request, template, {"form": form, "invalid_link": True}, status=400)
    if not form.is_bound:
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
        return _form_error(request, template, {"form": form}, form, error)
    request.session.pop(RESET_SESSION_KEY, None)
    return redirect("accounts:password_reset_complete")


@require_safe
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    """Confirm that the new password is set."""
    return render(request, "accounts/password_reset_complete.html")


# --- Edit profile ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Show and save the profile form (name, bio, website, privacy)."""
    user = _viewer(request)
    if request.method != "POST":
        return _edit_page(request, user)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, user, form=form, status=INVALID_FORM_STATUS)
    try:
        services.profile_update(
            user=user,
            display_name=form.cleaned_data["display_name"],
            bio=form.cleaned_data["bio"],
            website=form.cleaned_data["website"],
            is_private=form.cleaned_data["is_private"],
        )
    except GlimpseError as error:
        apply_error(form, error)
        return _edit_page(request, user, form=form, status=_status(error))
    messages.success(request, "Your profile is saved.")
    return redirect("profile", username=user.username)


@login_required
@require_POST
def avatar_upload(request: HttpRequest) -> HttpResponse:
    """Set the profile picture from an uploaded photo."""
    user = _viewer(request)
    form = AvatarForm(request.POST, request.FILES)
    if not form.is_valid():
        return _edit_page(request, user, avatar_form=form, status=INVALID_FORM_STATUS)
    upload = form.cleaned_data["avatar"]
    try:
        services.avatar_set(user=user, upload=upload, size_bytes=upload.size or 0)
    except GlimpseError as error:
        apply_error(form, error)
        return _edit_page(request, user, avatar_form=form, status=_status(error))
    messages.success(request, "Your profile photo is updated.")
    return redirect("accounts:profile_edit")


@login_required
@require_POST
def avatar_remove(request: HttpRequest) -> HttpResponse:
    """Remove the profile picture."""
    services.avatar_remove(user=_viewer(request))
    messages.success(request, "Your profile photo is removed.")
    return redirect("accounts:profile_edit")


# --- Account settings -----------------------------------------------------------------------


@login_required
@require_safe
def settings_view(request: HttpRequest) -> HttpResponse:
    """Show the account settings: password, API tokens, deletion."""
    return _settings_page(request, _viewer(request))


@login_required
@sensitive_post_parameters("current_password", "new_password", "new_password_again")
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    """Change the password and stay logged in on this browser."""
    user = _viewer(request)
    form = PasswordChangeForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, user, password_form=form, status=INVALID_FORM_STATUS)
    try:
        services.password_change(
            user=user,
            current_password=form.cleaned_data["current_password"],
            new_password=form.cleaned_data["new_password"],
        )
    except GlimpseError as error:
        apply_error(form, error)
        return _settings_page(request, user, password_form=form, status=_status(error))
    update_session_auth_hash(request, user)
    messages.success(request, "Your password is changed. Your API tokens were revoked.")
    return redirect("accounts:settings")


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a named API token and show its secret, this once."""
    user = _viewer(request)
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, user, token_form=form, status=INVALID_FORM_STATUS)
    try:
        token, secret = services.token_create(user=user, name=form.cleaned_data["name"])
    except GlimpseError as error:
        apply_error(form, error)
        return _settings_page(request, user, token_form=form, status=_status(error))
    # Rendered, not redirected: the secret is never stored anywhere in clear, not even
    # in the session, so this answer is the only place it appears.
    return _settings_page(request, user, new_token=token, new_secret=secret)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the viewer's API tokens."""
    try:
        services.token_revoke(user=_viewer(request), token_id=token_id)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, "The token is revoked.")
    return redirect("accounts:settings")


@login_required
@sensitive_post_parameters("password")
@require_POST
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the account after checking its password, then end the session."""
    user = _viewer(request)
    form = AccountDeleteForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, user, delete_form=form, status=INVALID_FORM_STATUS)
    username = user.username
    try:
        services.account_delete(user=user, password=form.cleaned_data["password"])
    except GlimpseError as error:
        apply_error(form, error)
        return _settings_page(request, user, delete_form=form, status=_status(error))
    logout(request)
    messages.info(request, f"The account @{username} and everything it owned are deleted.")
    return redirect("home")


# --- Helpers --------------------------------------------------------------------------------


def _posted(request: HttpRequest) -> QueryDict | None:
    # A POST binds the form even when empty, so that it reports its missing fields.
    return request.POST if request.method == "POST" else None


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _viewer_or_none(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def _status(error: GlimpseError) -> int:
    # 401 promises an Authorization challenge; a refused web form is a plain 400.
    return 400 if error.status == 401 else error.status


def _wait_text(seconds: int) -> str:
    minutes = -(-seconds // 60)
    if seconds < 60:
        return f"{seconds} seconds"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _form_error(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form: Form,
    error: GlimpseError,
) -> HttpResponse:
    """Render the form again with the service's error on it."""
    if isinstance(error, RateLimited):
        form.add_error(None, f"Too many attempts. Try again in {_wait_text(error.retry_after)}.")
    else:
        apply_error(form, error)
    response = render(request, template, context, status=_status(error))
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def _edit_page(
    request: HttpRequest,
    user: User,
    *,
    form: ProfileForm | None = None,
    avatar_form: AvatarForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = ProfileForm(
            initial={
                "display_name": user.display_name,
                "bio": user.bio,
                "website": user.website,
                "is_private": user.is_private,
            }
        )
    context = {
        "form": form,
        "avatar_form": avatar_form or AvatarForm(),
        "avatar": avatar_of(user, 150),
        "has_avatar": bool(user.avatar_version),
        "bio_max": settings.GLIMPSE_BIO_MAX,
    }
    return render(request, "accounts/profile_edit.html", context, status=status)


def _settings_page(
    request: HttpRequest,
    user: User,
    *,
    password_form: PasswordChangeForm | None = None,
    token_form: TokenCreateForm | None = None,
    delete_form: AccountDeleteForm | None = None,
    new_token: ApiToken | None = None,
    new_secret: str | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "password_form": password_form or PasswordChangeForm(),
        "token_form": token_form or TokenCreateForm(),
        "delete_form": delete_form or AccountDeleteForm(),
        "tokens": list(selectors.token_list(user=user)),
        "new_token": new_token,
        "new_secret": new_secret,
        "api_docs_url": reverse("api:openapi-view"),
    }
    response = render(request, "accounts/settings.html", context, status=status)
    if new_secret:
        # Keep the one-time secret out of every cache, shared or private.
        response["Cache-Control"] = "no-store"
    return response
