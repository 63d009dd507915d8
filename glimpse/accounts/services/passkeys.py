"""Passkeys (WebAuthn): register one, remove one, give one as the second factor, or log in
with one alone.

The relying party is the site's host name (``core.site``), the origin its address: a
passkey made for glimpse.example works there only. Browsers accept ``localhost`` but no IP
address as a relying party, so on a laptop passkeys work at http://localhost:8000/.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import orjson
from django.db import IntegrityError, transaction
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from glimpse.accounts.models import Passkey, RecoveryCode, User
from glimpse.accounts.services import two_factor
from glimpse.accounts.services.access import LogIn, account_log_in
from glimpse.accounts.two_factor_selectors import passkey_list, two_factor_enabled
from glimpse.core.errors import Conflict, InvalidInput, NotFound
from glimpse.core.site import site_url

RP_NAME = "Glimpse"
NAME_MAX = 64


def passkey_registration_begin(
    *, user: User, password: str, name: str, address: str
) -> tuple[str, bytes]:
    """Check the password and the name, then return the browser's creation options (JSON)
    and their challenge, which the caller keeps for ``passkey_register``."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise InvalidInput(fields={"name": [f"Name the passkey (at most {NAME_MAX} characters)."]})
    two_factor.password_confirm(user=user, password=password, address=address)
    options = generate_registration_options(
        rp_id=_rp_id(),
        rp_name=RP_NAME,
        user_name=user.username,
        user_id=str(user.pk).encode(),
        user_display_name=user.name,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return options_to_json(options), options.challenge


def passkey_register(
    *, user: User, name: str, challenge: bytes, credential: dict[str, Any]
) -> tuple[Passkey, list[str]]:
    """Verify a new credential and keep it; return it with new recovery codes when it is
    the account's first second factor (else an empty list)."""
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=_rp_id(),
            expected_origin=site_url(),
        )
    except (WebAuthnException, KeyError, TypeError, ValueError):
        raise InvalidInput("The passkey could not be checked. Try again.", code="passkey") from None
    transports = credential.get("response", {}).get("transports") or []
    try:
        with transaction.atomic():
            first = not two_factor_enabled(user=user)
            passkey = Passkey.objects.create(
                user=user,
                name=name.strip()[:NAME_MAX],
                credential_id=bytes_to_base64url(verified.credential_id),
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                transports=[str(t) for t in transports][:8],
            )
            codes = two_factor.recovery_codes_new(user=user) if first else []
    except IntegrityError:
        raise Conflict("This passkey is registered already.", code="passkey_taken") from None
    return passkey, codes


def passkey_remove(*, user: User, passkey_id: int, password: str, address: str) -> None:
    """Remove one of the account's passkeys, after checking the password.

    Removing the last second factor turns two-factor sign-in off (and its recovery codes go).
    """
    if not Passkey.objects.filter(pk=passkey_id, user=user).exists():
        raise NotFound("No passkey with this id.")
    two_factor.password_confirm(user=user, password=password, address=address)
    with transaction.atomic():
        Passkey.objects.filter(pk=passkey_id, user=user).delete()
        if not two_factor_enabled(user=user):
            RecoveryCode.objects.filter(user=user).delete()
            two_factor.two_factor_off_notify(user=user)


def passkey_authentication_begin(*, user: User) -> tuple[str, bytes]:
    """Return the browser's request options (JSON) for the account's passkeys, and their
    challenge, which the caller keeps for ``passkey_authenticate``."""
    if not Passkey.objects.filter(user=user).exists():
        raise NotFound("This account has no passkey.")
    options = generate_authentication_options(
        rp_id=_rp_id(),
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options), options.challenge


def passkey_authenticate(
    *, user: User, challenge: bytes, credential: dict[str, Any], address: str
) -> Passkey:
    """Verify a passkey's signature over the challenge; raise InvalidInput if it fails."""
    two_factor.second_factor_throttle(user=user, address=address)
    passkey = Passkey.objects.filter(user=user, credential_id=str(credential.get("id"))).first()
    try:
        return _verify(passkey, challenge=challenge, credential=credential, user_verified=False)
    except InvalidInput:
        two_factor.second_factor_failed(user=user, address=address)
        raise


def passkey_sign_in_begin() -> tuple[str, bytes]:
    """Return the browser's request options (JSON) for any passkey of this site, and their
    challenge, which the caller keeps for ``passkey_sign_in``."""
    options = generate_authentication_options(
        rp_id=_rp_id(), user_verification=UserVerificationRequirement.REQUIRED
    )
    return options_to_json(options), options.challenge


def passkey_sign_in(*, challenge: bytes, credential: dict[str, Any]) -> LogIn:
    """Log in with a passkey alone, without the password.

    The passkey must verify its user (fingerprint, face, PIN): it is then two factors in one,
    the device and the person. The account's standing is checked as at any log-in.
    """
    found = credential.get("id")
    passkey = Passkey.objects.select_related("user").filter(credential_id=str(found)).first()
    passkey = _verify(passkey, challenge=challenge, credential=credential, user_verified=True)
    return account_log_in(user=passkey.user)


def credential_parse(raw: bytes) -> dict[str, Any]:
    """Return the credential a browser posted as JSON; raise InvalidInput if it is not one."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise InvalidInput("Send the credential as a JSON object.", code="passkey")
    return data


def _verify(
    passkey: Passkey | None, *, challenge: bytes, credential: dict[str, Any], user_verified: bool
) -> Passkey:
    """Check a passkey's answer to a challenge and note its use; raise InvalidInput if wrong."""
    refused = InvalidInput("This passkey could not sign you in.", code="passkey")
    if passkey is None:
        raise refused
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=_rp_id(),
            expected_origin=site_url(),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=user_verified,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError):
        raise refused from None
    Passkey.objects.filter(pk=passkey.pk).update(
        sign_count=verified.new_sign_count, last_used_at=timezone.now()
    )
    return passkey


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(passkey.credential_id))
        for passkey in passkey_list(user=user)
    ]


def _rp_id() -> str:
    return urlsplit(site_url()).hostname or "localhost"
