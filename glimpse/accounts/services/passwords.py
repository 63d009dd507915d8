"""Passwords: change one, and reset a forgotten one by email."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.oauth.services import oauth_tokens_revoke_all
from glimpse.core.errors import (
    InvalidInput,
)
from glimpse.core.event_bus import publish
from glimpse.core.events import (
    PasswordReset,
    TokensRevoked,
)
from glimpse.core.ratelimit import rate_limit_hit
from glimpse.core.site import absolute_url


def password_change(
    *, user: User, current_password: str, new_password: str, keep_token: ApiToken | None = None
) -> None:
    """Change the password and revoke every token but the one in use."""
    if not user.check_password(current_password):
        raise InvalidInput(fields={"current_password": ["This is not your current password."]})
    if problems := password_problems(new_password, user):
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
    context = {"user": user, "link": absolute_url(path)}
    send_mail(
        subject="Reset your Glimpse password",
        message=render_to_string("accounts/email/password_reset.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def password_reset_confirm(*, uidb64: str, token: str, new_password: str) -> User:
    """Set a new password from an emailed link; revoke every token and app of the account."""
    user = password_reset_link_check(uidb64=uidb64, token=token)
    if problems := password_problems(new_password, user):
        raise InvalidInput(fields={"new_password": problems})
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        oauth_tokens_revoke_all(user=user)
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


def password_problems(password: str, user: User) -> list[str]:
    """Return what is wrong with a password for this account (empty when it is good)."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []
