"""Sign-up and log-in: create an account, let it in, and cancel a pending deletion at log-in."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from glimpse.accounts import logins
from glimpse.accounts.models import User
from glimpse.accounts.services.passwords import password_problems
from glimpse.accounts.services.standing import account_activity_refresh
from glimpse.accounts.two_factor_selectors import two_factor_enabled
from glimpse.accounts.validators import (
    normalize_username,
    username_problems,
)
from glimpse.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
)
from glimpse.core.ratelimit import rate_limit_hit


def account_create(*, username: str, email: str, password: str) -> User:
    """Create an account after checking every field; nothing is written if one is wrong."""
    username = normalize_username(username)
    email = email.strip()
    problems, taken = _signup_check(username=username, email=email, password=password)
    if problems:
        raise InvalidInput(fields={**problems, **taken})
    if taken:
        raise Conflict("This username or email is already used.", code="taken", fields=taken)
    user = User(username=username, email=email)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent sign-up won the race
        raise Conflict("This username or email is already used.", code="taken") from exc
    return user


def signup_problems(*, username: str, email: str, password: str) -> dict[str, list[str]]:
    """Return what is wrong with each sign-up field (taken names included); write nothing.

    A form that found some fields wrong asks this too, so that every problem shows at once.
    """
    problems, taken = _signup_check(
        username=normalize_username(username), email=email.strip(), password=password
    )
    return {**problems, **taken}


def _signup_check(
    *, username: str, email: str, password: str
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Return the sign-up's invalid fields, and apart from them the ones already in use."""
    problems: dict[str, list[str]] = {}
    taken: dict[str, list[str]] = {}
    if found := username_problems(username):
        problems["username"] = found
    elif User.objects.filter(username__lower=username.lower()).exists():
        taken["username"] = ["This username is taken. Try another one."]
    try:
        validate_email(email)
    except ValidationError:
        problems["email"] = ["Enter a valid email address."]
    else:
        if User.objects.filter(email__iexact=email).exists():
            taken["email"] = ["An account already uses this email. Log in or reset the password."]
    candidate = User(id=0, username=username, email=email)
    if password_errors := password_problems(password, candidate):
        problems["password"] = password_errors
    return problems, taken


def signup_throttle(*, client_ip: str) -> None:
    """Count a sign-up attempt from this address; raise RateLimited past the limit."""
    limit, window = settings.GLIMPSE_RATE_SIGNUP
    rate_limit_hit(scope="signup", identity=client_ip, limit=limit, window=window)


@dataclass(frozen=True)
class LogIn:
    """An account that may log in, and what to tell its owner (a cancelled deletion)."""

    user: User
    notice: str = ""


def account_authenticate(*, login: str, password: str, address: str) -> LogIn:
    """Check a username (or email) and password from an address, and the account's state.

    Failures are counted per resolved account and address, per address and per account
    (``accounts.logins``). The password is checked first, even for an inactive account, so
    a wrong one gets the same answer whether the account exists or not. With the right one,
    a banned or suspended account is refused, and an account waiting for deletion is saved.
    """
    user = logins.login_check(login=login, password=password, address=address)
    if user is None:
        raise NotAuthenticated("The username or password is not right.", code="invalid_credentials")
    # With a second factor the deletion is cancelled once that is checked too, not on the
    # password alone (services.two_factor.two_factor_login_finish).
    return account_log_in(user=user, cancel_deletion=not two_factor_enabled(user=user))


def account_log_in(*, user: User, cancel_deletion: bool = True) -> LogIn:
    """Let in an account that proved who it is, unless banned or suspended.

    An account whose suspension ended is active again, and one waiting for its deletion is
    saved (when ``cancel_deletion``), which the answer's notice says.
    """
    if user.banned_at is not None:
        raise PermissionDenied("This account was banned.", code="banned")
    if user.suspended_until is not None and user.suspended_until > timezone.now():
        until = f"{user.suspended_until:%B %-d, %Y at %H:%M} UTC"
        raise PermissionDenied(f"This account is suspended until {until}.", code="suspended")
    if (
        cancel_deletion
        and user.deletion_requested_at is not None
        and account_deletion_cancel(user=user)
    ):
        return LogIn(user, "Welcome back, your account will not be deleted.")
    if not user.is_active:
        with transaction.atomic():  # a suspension that ended since: active again
            account_activity_refresh(user=user)
    return LogIn(user)


def account_deletion_cancel(*, user: User) -> bool:
    """Cancel a scheduled deletion and reactivate the account; tell whether one was pending."""
    with transaction.atomic():
        locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        if locked.deletion_requested_at is None:
            return False
        locked.deletion_requested_at = None
        locked.save(update_fields=["deletion_requested_at"])
        account_activity_refresh(user=locked)
    user.deletion_requested_at, user.is_active = None, locked.is_active
    return True
