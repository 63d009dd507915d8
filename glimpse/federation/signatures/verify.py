"""Verifying an incoming request's signature, in either form, with a key the caller looks up
(and looks up afresh once, when its owner may have rotated it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from glimpse.federation.signatures import cavage, rfc9421
from glimpse.federation.signatures.common import (
    KeyLookup,
    SignatureError,
    VerifiedSignature,
    current_time,
    lower_headers,
    same_origin,
)


def verify_request(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    key_lookup: KeyLookup,
    now: dt.datetime | None = None,
) -> VerifiedSignature:
    """Verify a request's signature (RFC 9421, else draft-cavage) and say whose key made it."""
    lowered = lower_headers(headers)
    moment = current_time(now)
    if "signature-input" in lowered:
        return _verify_rfc9421(method, url, lowered, body, key_lookup, moment)
    raw = cavage.find(lowered)
    if raw is None:
        raise SignatureError("missing header: the request carries no signature")
    signature = cavage.parse(raw)
    cavage.check_request(signature, url=url, headers=lowered, body=body, now=moment)
    actor_id = _owner(
        signature.key_id,
        key_lookup,
        lambda pem: cavage.verifies(
            signature, method=method, url=url, headers=lowered, public_key_pem=pem
        ),
    )
    return VerifiedSignature(key_id=signature.key_id, actor_id=actor_id, scheme="cavage")


def _verify_rfc9421(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    key_lookup: KeyLookup,
    now: dt.datetime,
) -> VerifiedSignature:
    """Verify the first RFC 9421 signature that meets the rules and verifies."""
    refusals: list[SignatureError] = []
    for signature in rfc9421.parse(headers):
        try:
            rfc9421.check_request(signature, headers=headers, body=body, now=now)
            actor_id = _owner(
                signature.key_id, key_lookup, _rfc9421_verifier(signature, method, url, headers)
            )
        except SignatureError as refusal:
            refusals.append(refusal)
            continue
        return VerifiedSignature(key_id=signature.key_id, actor_id=actor_id, scheme="rfc9421")
    raise refusals[0]


def _rfc9421_verifier(
    signature: rfc9421.Rfc9421Signature, method: str, url: str, headers: dict[str, str]
) -> Callable[[str], bool]:
    """Return a check of this RFC 9421 signature against a key's PEM."""

    def verifies(pem: str) -> bool:
        """Tell whether the signature verifies with this key."""
        return rfc9421.verifies(
            signature, method=method, url=url, headers=headers, public_key_pem=pem
        )

    return verifies


def _owner(key_id: str, key_lookup: KeyLookup, verifies: Callable[[str], bool]) -> str:
    """Return the owner of the key that verifies: the known key first, then a fresh copy."""
    found = False
    for refresh in (False, True):
        info = key_lookup(key_id, refresh)
        if info is None:
            continue
        found = True
        if not same_origin(key_id, info.actor_id):
            raise SignatureError(
                f"host mismatch: key {key_id} is not on the host of its owner {info.actor_id}"
            )
        if verifies(info.public_key_pem):
            return info.actor_id
    if not found:
        raise SignatureError(f"unknown key: {key_id} cannot be found")
    raise SignatureError(f"bad signature: it does not verify with the key {key_id}")
