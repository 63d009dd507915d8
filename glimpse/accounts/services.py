"""Every write to accounts: sign-up, profile, avatar, passwords, tokens, deletion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from glimpse.accounts import avatars, logins
from glimpse.accounts.cards import account_cards_forget_on_commit
from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.tokens import TOKEN_PREFIX, token_digest, token_generate
from glimpse.accounts.validators import (
    display_name_problems,
    normalize_username,
    username_problems,
)
from glimpse.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from glimpse.core.event_bus import publish
from glimpse.core.events import (
    AccountBanned,
    AccountDeactivated,
    AccountMadePublic,
    AccountSuspended,
    PasswordReset,
    TokensRevoked,
)
from glimpse.core.ratelimit import rate_limit_hit, upload_rate_hit


def account_create(*, username: str, email: str, password: str) -> User:
    """Create an account after checking every field; nothing is written if one is wrong."""
    username = normalize_username(username)
    email = email.strip()
    problems: dict[str, list[str]] = {}
    taken: dict[str, list[str]] = {}
    if found := username_problems(username):
        problems["username"] = found
    elif User.objects.filter(username__iexact=username).exists():
        taken["username"] = ["This username is taken. Try another one."]
    try:
        validate_email(email)
    except ValidationError:
        problems["email"] = ["Enter a valid email address."]
    else:
        if User.objects.filter(email__iexact=email).exists():
            taken["email"] = ["An account already uses this email. Log in or reset the password."]
    candidate = User(id=0, username=username, email=email)
    if password_errors := _password_problems(password, candidate):
        problems["password"] = password_errors
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
    if user.banned_at is not None:
        raise PermissionDenied("This account was banned.", code="banned")
    if user.suspended_until is not None and user.suspended_until > timezone.now():
        until = f"{user.suspended_until:%B %-d, %Y at %H:%M} UTC"
        raise PermissionDenied(f"This account is suspended until {until}.", code="suspended")
    if user.deletion_requested_at is not None and account_deletion_cancel(user=user):
        return LogIn(user, "Welcome back, your account will not be deleted.")
    if not user.is_active:
        with transaction.atomic():  # a suspension that ended since: active again
            account_activity_refresh(user=user)
    return LogIn(user)


def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    bio: str | None = None,
    website: str | None = None,
    is_private: bool | None = None,
) -> User:
    """Change the given profile fields; fields left as None keep their value."""
    problems: dict[str, list[str]] = {}
    changes: dict[str, object] = {}
    given = (
        ("display_name", display_name, _display_name_clean),
        ("bio", bio, _bio_clean),
        ("website", website, _website_clean),
    )
    for field, raw, clean in given:
        if raw is None:
            continue
        changes[field], found = clean(raw)
        if found:
            problems[field] = found
    if is_private is not None:
        changes["is_private"] = is_private
    if problems:
        raise InvalidInput(fields=problems)
    for field, value in changes.items():
        setattr(user, field, value)
    if changes:
        _profile_save(user=user, changes=changes)
    return user


def avatar_set(*, user: User, upload: IO[bytes], size_bytes: int) -> User:
    """Replace the account's profile picture with a checked, metadata-free square."""
    # Counted before anything is decoded, in the same limit as media uploads.
    upload_rate_hit(account_id=user.pk)
    rendered = avatars.avatar_render(upload, size_bytes=size_bytes)
    old_version = user.avatar_version
    version = avatars.avatar_store(user.id, rendered)
    user.avatar_version = version
    user.save(update_fields=["avatar_version"])
    account_cards_forget_on_commit(user.pk)
    if old_version:
        transaction.on_commit(lambda: avatars.avatar_delete_files(user.id, old_version))
    return user


def avatar_remove(*, user: User) -> User:
    """Remove the account's profile picture."""
    old_version = user.avatar_version
    if old_version:
        user.avatar_version = ""
        user.save(update_fields=["avatar_version"])
        account_cards_forget_on_commit(user.pk)
        transaction.on_commit(lambda: avatars.avatar_delete_files(user.id, old_version))
    return user


def password_change(
    *, user: User, current_password: str, new_password: str, keep_token: ApiToken | None = None
) -> None:
    """Change the password and revoke every token but the one in use."""
    if not user.check_password(current_password):
        raise InvalidInput(fields={"current_password": ["This is not your current password."]})
    if problems := _password_problems(new_password, user):
        raise InvalidInput(fields={"new_password": problems})
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        others = user.api_tokens.filter(revoked_at__isnull=True)
        if keep_token is not None:
            others = others.exclude(pk=keep_token.pk)
        revoked = tuple(others.values_list("pk", flat=True))
        others.update(revoked_at=timezone.now())
        if revoked:
            publish(TokensRevoked(account_id=user.pk, token_ids=revoked))


def password_reset_request(*, email: str, client_ip: str) -> None:
    """Email a reset link if an active account uses this address; say nothing otherwise."""
    limit, window = settings.GLIMPSE_RATE_PASSWORD_RESET
    rate_limit_hit(scope="password-reset", identity=client_ip, limit=limit, window=window)
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {"user": user, "link": settings.GLIMPSE_SITE_URL.rstrip("/") + path}
    send_mail(
        subject="Reset your Glimpse password",
        message=render_to_string("accounts/email/password_reset.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def password_reset_confirm(*, uidb64: str, token: str, new_password: str) -> User:
    """Set a new password from an emailed link and revoke every token of the account."""
    user = password_reset_link_check(uidb64=uidb64, token=token)
    if problems := _password_problems(new_password, user):
        raise InvalidInput(fields={"new_password": problems})
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        # Every token and session of the account ended: its sockets check theirs again.
        publish(PasswordReset(account_id=user.pk))
    return user


def password_reset_link_check(*, uidb64: str, token: str) -> User:
    """Return the account an emailed reset link is for, or raise if it is invalid or used."""
    invalid = InvalidInput(
        "This reset link is invalid or has expired. Ask for a new one.", code="invalid_link"
    )
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        raise invalid from None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise invalid
    return user


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


def account_activity_refresh(*, user: User) -> User:
    """Derive ``is_active`` from the account's states and save it if it changed.

    An account is active unless it is banned, suspended until a time still to come, or
    waiting for its deletion. Becoming inactive publishes why (its open sockets end);
    either way its cached card is dropped. Call it inside the transaction that changed a
    state.
    """
    suspended = user.suspended_until is not None and user.suspended_until > timezone.now()
    active = user.banned_at is None and not suspended and user.deletion_requested_at is None
    if active != user.is_active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        account_cards_forget_on_commit(user.pk)
        if user.banned_at is not None:
            publish(AccountBanned(account_id=user.pk))
        elif suspended:
            publish(AccountSuspended(account_id=user.pk))
        elif user.deletion_requested_at is not None:
            publish(AccountDeactivated(account_id=user.pk))
    return user


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and stored only hashed.

    An account holds at most ``GLIMPSE_MAX_TOKENS_PER_ACCOUNT`` active tokens (409 past it)
    and creates at most ``GLIMPSE_RATE_TOKEN_CREATE`` in a window (429 past it).
    """
    name = name.strip() or "API token"
    if len(name) > 64:
        raise InvalidInput(fields={"name": ["Token names have at most 64 characters."]})
    most = settings.GLIMPSE_MAX_TOKENS_PER_ACCOUNT
    secret = token_generate()
    with transaction.atomic():
        # The account's row is the lock, so that concurrent creations cannot pass the cap.
        User.objects.select_for_update().filter(pk=user.pk).exists()
        if user.api_tokens.filter(revoked_at__isnull=True).count() >= most:
            raise Conflict(
                f"This account already has {most} active API tokens, the most it may have. "
                "Revoke one you no longer use, then try again.",
                code="too_many_tokens",
            )
        limit, window = settings.GLIMPSE_RATE_TOKEN_CREATE
        rate_limit_hit(scope="token-create", identity=str(user.pk), limit=limit, window=window)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            digest=token_digest(secret),
        )
    return token, secret


def token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of the account's tokens."""
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise NotFound("No active token with this id.")
    publish(TokensRevoked(account_id=user.pk, token_ids=(token_id,)))


def token_touch(*, token: ApiToken) -> None:
    """Record that a token was used, at most once every few minutes."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def account_suspend(*, user: User, until: datetime) -> User:
    """Suspend an account until a time (a moderator's decision): it is inactive until then."""
    with transaction.atomic():
        user.suspended_until = until
        user.save(update_fields=["suspended_until"])
        return account_activity_refresh(user=user)


def account_ban(*, user: User) -> User:
    """Ban an account for good (a moderator's decision): it is inactive from now on."""
    with transaction.atomic():
        user.banned_at = timezone.now()
        user.save(update_fields=["banned_at"])
        return account_activity_refresh(user=user)


def account_suspensions_end() -> int:
    """Make active again the accounts whose suspension has ended; return how many."""
    ended = User.objects.filter(
        is_active=False, suspended_until__lte=timezone.now(), banned_at__isnull=True
    ).filter(deletion_requested_at__isnull=True)
    count = 0
    for user_id in list(ended.values_list("pk", flat=True)):
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=user_id).first()
            if user is not None and account_activity_refresh(user=user).is_active:
                count += 1
    return count


def _password_problems(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _display_name_clean(display_name: str) -> tuple[str, list[str]]:
    """Return the trimmed display name and what is wrong with it."""
    display_name = display_name.strip()
    return display_name, display_name_problems(display_name)


def _bio_clean(bio: str) -> tuple[str, list[str]]:
    """Return the trimmed bio and what is wrong with it."""
    bio = bio.strip()
    if len(bio) > settings.GLIMPSE_BIO_MAX:
        return bio, [f"A bio has at most {settings.GLIMPSE_BIO_MAX} characters."]
    return bio, []


def _website_clean(website: str) -> tuple[str, list[str]]:
    """Return the trimmed web address, https:// added when it has no scheme, and its problems."""
    website = website.strip()
    if not website:
        return website, []
    if "://" not in website:
        website = f"https://{website}"
    try:
        URLValidator(schemes=["http", "https"])(website)
    except ValidationError:
        return website, ["Enter a web address such as https://example.com."]
    return website, []


def _profile_save(*, user: User, changes: dict[str, object]) -> None:
    """Save the changed fields of a profile already set on ``user``."""
    with transaction.atomic():
        user.save(update_fields=list(changes))
        account_cards_forget_on_commit(user.pk)
        if changes.get("is_private") is False:
            # A public account has no requests: the graph approves every pending one.
            publish(AccountMadePublic(account_id=user.pk))
