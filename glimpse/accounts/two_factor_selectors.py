"""Reads of an account's second factors: whether it has one, and what the settings show."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from glimpse.accounts.models import Passkey, RecoveryCode, TotpDevice, User


@dataclass(frozen=True)
class TwoFactorState:
    """What the two-factor settings show of an account."""

    app_on: bool
    passkeys: list[Passkey]
    recovery_codes_left: int

    @property
    def enabled(self) -> bool:
        """Tell whether log-ins need a second factor."""
        return self.app_on or bool(self.passkeys)


def two_factor_enabled(*, user: User) -> bool:
    """Tell whether the account needs a second factor to log in."""
    return (
        TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
        or Passkey.objects.filter(user=user).exists()
    )


def two_factor_state(*, user: User) -> TwoFactorState:
    """Return the account's second factors as the settings page shows them."""
    return TwoFactorState(
        app_on=TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists(),
        passkeys=list(passkey_list(user=user)),
        recovery_codes_left=RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
    )


def passkey_list(*, user: User) -> QuerySet[Passkey]:
    """Return the account's passkeys, oldest first."""
    return Passkey.objects.filter(user=user).order_by("id")


def staff_may_use_admin(*, user: User) -> bool:
    """Tell whether a staff account meets the site's two-factor rule for the admin."""
    return not settings.GLIMPSE_STAFF_REQUIRE_2FA or two_factor_enabled(user=user)
