"""Two-factor sign-in: the authenticator app, recovery codes, turning it off, checking a code.

Every change asks for the password, and wrong passwords and wrong codes count against one
limit per account and address (``GLIMPSE_RATE_TWO_FACTOR_FAILURES``), checked before
anything is looked at, like the log-in's own limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from glimpse.accounts import totp
from glimpse.accounts.models import Passkey, RecoveryCode, TotpDevice, User
from glimpse.accounts.sealing import seal, unseal
from glimpse.accounts.services.access import LogIn, account_log_in
from glimpse.accounts.two_factor_selectors import two_factor_enabled
from glimpse.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    RateLimited,
)
from glimpse.core.ratelimit import rate_limit_check, rate_limit_hit

ISSUER = "Glimpse"
RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits without the look-alikes 0/o, 1/l/i: 31 symbols, 10 of them
# give about 50 bits, far beyond guessing within the failure limit.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
FAILURE_SCOPE = "two-factor-fail"


@dataclass(frozen=True)
class TotpSetup:
    """What the setup page shows: the secret as text and as an otpauth:// address."""

    secret_text: str
    uri: str


def totp_setup_begin(*, user: User) -> TotpSetup:
    """Start (or resume) adding an authenticator app; raise Conflict if one is on already."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.confirmed_at is not None:
            raise Conflict("An authenticator app is already set up.", code="two_factor_on")
        secret = _secret_or_none(device)
        if secret is None:  # none yet, or sealed with a key the site no longer has
            secret = totp.totp_secret_new()
            TotpDevice.objects.update_or_create(user=user, defaults={"sealed_secret": seal(secret)})
    return TotpSetup(
        secret_text=totp.totp_secret_text(secret),
        uri=totp.totp_uri(secret, account=user.username, issuer=ISSUER),
    )


def totp_enable(*, user: User, password: str, code: str, address: str) -> list[str]:
    """Turn the app on with the password and a first code; return new recovery codes.

    The codes are made when this is the account's first second factor; an account that has
    passkeys keeps the codes it has, and gets an empty list.
    """
    _password_check(user=user, password=password, address=address)
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            raise InvalidInput("Start the setup again.", code="no_setup")
        if device.confirmed_at is not None:
            raise Conflict("An authenticator app is already set up.", code="two_factor_on")
        secret = _secret_or_none(device)
        step = None if secret is None else totp.totp_match(secret, code, after=device.last_step)
        if step is None:
            _count_failure(user=user, address=address)
            raise InvalidInput(fields={"code": [_WRONG_CODE]}, code="invalid_code")
        first = not two_factor_enabled(user=user)
        device.confirmed_at, device.last_step = timezone.now(), step
        device.save(update_fields=["confirmed_at", "last_step"])
        return recovery_codes_new(user=user) if first else []


def recovery_codes_regenerate(*, user: User, password: str, address: str) -> list[str]:
    """Replace the account's recovery codes with new ones, after checking the password."""
    _password_check(user=user, password=password, address=address)
    with transaction.atomic():
        if not two_factor_enabled(user=user):
            raise Conflict("Turn on two-factor sign-in first.", code="two_factor_off")
        return _recovery_codes_replace(user=user)


def recovery_codes_new(*, user: User) -> list[str]:
    """Give an account that just got its first second factor recovery codes, and tell it."""
    codes = _recovery_codes_replace(user=user)
    _security_email(user=user, template="two_factor_on", subject="Two-factor sign-in is on")
    return codes


def two_factor_off_notify(*, user: User) -> None:
    """Email the owner that two-factor sign-in was turned off."""
    _security_email(user=user, template="two_factor_off", subject="Two-factor sign-in is off")


def two_factor_disable(*, user: User, password: str, address: str) -> None:
    """Turn two-factor sign-in off: remove the app, the passkeys and the recovery codes."""
    _password_check(user=user, password=password, address=address)
    with transaction.atomic():
        was_on = two_factor_enabled(user=user)
        TotpDevice.objects.filter(user=user).delete()
        Passkey.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        if was_on:
            two_factor_off_notify(user=user)


def two_factor_reset(*, user: User, acting: User) -> bool:
    """Turn an account's two-factor sign-in off for its owner who lost every factor (staff).

    Tell whether it was on. The owner is emailed, as when they turn it off themselves.
    """
    if not acting.is_staff:
        raise PermissionDenied("Only staff can turn off someone's two-factor sign-in.")
    with transaction.atomic():
        was_on = two_factor_enabled(user=user)
        TotpDevice.objects.filter(user=user).delete()
        Passkey.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        if was_on:
            two_factor_off_notify(user=user)
    return was_on


def second_factor_verify(*, user: User, code: str, address: str) -> str:
    """Check a code from the app or a recovery code, using it up; return which it was.

    Raises RateLimited past the failure limit and InvalidInput for a wrong or used code.
    """
    _refuse_if_exhausted(user=user, address=address)
    typed = "".join(code.split()).lower()
    # Six digits are an app code; anything else a recovery code (which may be all digits).
    if len(typed) == totp.DIGITS and typed.isdigit():
        device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
        secret = _secret_or_none(device)
        if device is not None and secret is not None:
            step = totp.totp_match(secret, typed, after=device.last_step)
            # The update is the lock: of two requests with one code, only one moves the step.
            if step is not None and TotpDevice.objects.filter(
                pk=device.pk, last_step__lt=step
            ).update(last_step=step):
                return "app"
    else:
        digest = _recovery_digest(typed)
        used = RecoveryCode.objects.filter(user=user, digest=digest, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            return "recovery_code"
    _count_failure(user=user, address=address)
    raise InvalidInput(fields={"code": [_WRONG_CODE]}, code="invalid_code")


def second_factor_check(*, result: LogIn, code: str | None, address: str) -> LogIn:
    """Finish a password log-in of the API: ask for a code when the account has a second factor.

    Without one it is a 403 ``two_factor_required``; a wrong code is a 401 ``invalid_code``.
    """
    if not two_factor_enabled(user=result.user):
        return result
    if not code:
        raise PermissionDenied(
            "This account uses two-factor sign-in: send a code from the authenticator app, "
            "or a recovery code, as `otp`.",
            code="two_factor_required",
        )
    try:
        second_factor_verify(user=result.user, code=code, address=address)
    except InvalidInput:
        raise NotAuthenticated(_WRONG_CODE, code="invalid_code") from None
    return two_factor_login_finish(user=result.user)


def two_factor_login_finish(*, user: User) -> LogIn:
    """Complete a log-in once the second factor is checked: the account's standing is
    checked again (it may have changed meanwhile) and a pending deletion is cancelled."""
    return account_log_in(user=user)


def second_factor_throttle(*, user: User, address: str) -> None:
    """Raise RateLimited if this caller has had too many wrong codes or passwords."""
    _refuse_if_exhausted(user=user, address=address)


def second_factor_failed(*, user: User, address: str) -> None:
    """Count one failed second-factor attempt (a refused passkey) against the limit."""
    _count_failure(user=user, address=address)


def password_confirm(*, user: User, password: str, address: str) -> None:
    """Check the password a two-factor change asks for, counting a wrong one."""
    _password_check(user=user, password=password, address=address)


_WRONG_CODE = "This code is not right, or was used already."


def _secret_or_none(device: TotpDevice | None) -> bytes | None:
    if device is None:
        return None
    try:
        return unseal(device.sealed_secret)
    except ValueError:
        # Sealed with a key no longer among the site's: the app's codes cannot be checked,
        # and recovery codes are the way in.
        return None


def _password_check(*, user: User, password: str, address: str) -> None:
    _refuse_if_exhausted(user=user, address=address)
    if not user.check_password(password):
        _count_failure(user=user, address=address)
        raise InvalidInput(fields={"password": ["This is not your password."]}, code="password")


def _refuse_if_exhausted(*, user: User, address: str) -> None:
    limit, window = settings.GLIMPSE_RATE_TWO_FACTOR_FAILURES
    rate_limit_check(
        scope=FAILURE_SCOPE, identity=f"{user.pk}|{address}", limit=limit, window=window
    )


def _count_failure(*, user: User, address: str) -> None:
    limit, window = settings.GLIMPSE_RATE_TWO_FACTOR_FAILURES
    # This attempt is answered "wrong" already; the next one is refused up front.
    with contextlib.suppress(RateLimited):
        rate_limit_hit(
            scope=FAILURE_SCOPE, identity=f"{user.pk}|{address}", limit=limit, window=window
        )


def _recovery_codes_replace(*, user: User) -> list[str]:
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    shown = [f"{code[:5]}-{code[5:]}" for code in codes]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=_recovery_digest(code)) for code in codes
    )
    return shown


def _recovery_digest(typed: str) -> str:
    # Codes are random and long: a plain SHA-256 is enough, and lets the database find one.
    normal = typed.replace("-", "").replace(" ", "").lower()
    return hashlib.sha256(normal.encode()).hexdigest()


def _security_email(*, user: User, template: str, subject: str) -> None:
    body = render_to_string(f"accounts/email/{template}.txt", {"user": user})
    transaction.on_commit(
        lambda: send_mail(
            subject=subject, message=body, from_email=None, recipient_list=[user.email]
        )
    )
