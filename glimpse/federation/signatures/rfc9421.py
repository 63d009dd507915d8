"""Checking incoming signatures of RFC 9421 (HTTP Message Signatures): `Signature-Input` and
`Signature`. The signature base and the algorithms are the http-message-signatures library's;
this module picks the algorithm from the key, and applies the federation's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import http_sf
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from http_message_signatures import (
    HTTPMessageSignaturesException,
    HTTPMessageVerifier,
    HTTPSignatureAlgorithm,
    HTTPSignatureKeyResolver,
    algorithms,
)

from glimpse.federation.signatures.common import (
    SignatureError,
    check_not_expired,
    check_within_window,
    from_timestamp,
    load_public_key,
)
from glimpse.federation.signatures.digests import check_content_digest

_ALGORITHMS: dict[str, type[HTTPSignatureAlgorithm]] = {
    algorithm.algorithm_id: algorithm
    for algorithm in (
        algorithms.RSA_V1_5_SHA256,
        algorithms.RSA_PSS_SHA512,
        algorithms.ECDSA_P256_SHA256,
        algorithms.ED25519,
    )
}
# Which key type each algorithm needs; a shared secret (hmac-sha256) has no place here.
_KEY_TYPES: dict[str, type[Any]] = {
    "rsa-v1_5-sha256": rsa.RSAPublicKey,
    "rsa-pss-sha512": rsa.RSAPublicKey,
    "ecdsa-p256-sha256": ec.EllipticCurvePublicKey,
    "ed25519": ed25519.Ed25519PublicKey,
}
_PARAMETERS = ("keyid", "created", "expires", "alg")
_FIELDS = frozenset({"signature-input", "signature"})


@dataclass(frozen=True, slots=True)
class Rfc9421Signature:
    """One labelled signature of a request: what it covers, its parameters, its two fields."""

    label: str
    components: tuple[str, ...]
    key_id: str
    created: int
    expires: int | None
    alg: str | None
    # This signature alone, as a Signature-Input and a Signature field.
    fields: dict[str, str] = field(repr=False)


def parse(headers: Mapping[str, str]) -> list[Rfc9421Signature]:
    """Read every labelled signature of lowercased headers, refusing malformed ones."""
    inputs = _dictionary(headers, "signature-input")
    values = _dictionary(headers, "signature")
    if not inputs or inputs.keys() != values.keys():
        raise SignatureError("malformed signature: Signature-Input and Signature do not pair up")
    signatures = []
    for label, (covered, params) in inputs.items():
        if not isinstance(covered, list) or not isinstance(values[label][0], bytes):
            raise SignatureError(f"malformed signature: {label} is not a signature")
        key_id, created, expires, alg = (params.get(name) for name in _PARAMETERS)
        if not isinstance(key_id, str) or not key_id:
            raise SignatureError(f"malformed signature: {label} has no keyid")
        if not isinstance(created, int) or isinstance(created, bool):
            raise SignatureError(f"malformed signature: {label} has no created time")
        if expires is not None and (not isinstance(expires, int) or isinstance(expires, bool)):
            raise SignatureError(f"malformed signature: {label} has a malformed expires time")
        if alg is not None and not isinstance(alg, str):
            raise SignatureError(f"malformed signature: {label} has a malformed alg")
        signatures.append(
            Rfc9421Signature(
                label=label,
                components=tuple(_component(name, item_params) for name, item_params in covered),
                key_id=key_id,
                created=created,
                expires=expires,
                alg=alg,
                fields={
                    "Signature-Input": http_sf.ser({label: inputs[label]}),
                    "Signature": http_sf.ser({label: values[label]}),
                },
            )
        )
    return signatures


def check_request(
    signature: Rfc9421Signature,
    *,
    headers: Mapping[str, str],
    body: bytes,
    now: dt.datetime,
) -> None:
    """Check what needs no key: the covered components, the body's digest and the clock."""
    if signature.alg is not None and signature.alg not in _ALGORITHMS:
        raise SignatureError(f"unsupported algorithm: {signature.alg}")
    covered = set(signature.components)
    required = ["@method"]
    if "@target-uri" not in covered:
        required += ["@authority", "@path"]
    if body:
        required.append("content-digest")
    for name in required:
        if name not in covered:
            raise SignatureError(f"unsigned required component: {name}")
    for name in covered:
        if not name.startswith("@") and name.split(";")[0] not in headers:
            raise SignatureError(f"missing header: the signed header {name} is not in the request")
    if "content-digest" in covered or body:
        if "content-digest" not in headers:
            raise SignatureError("missing header: the request has a body but no Content-Digest")
        check_content_digest(headers["content-digest"], body)
    check_within_window(from_timestamp(signature.created, what="created"), now=now, what="created")
    if signature.expires is not None:
        check_not_expired(from_timestamp(signature.expires, what="expires"), now=now)


def verifies(
    signature: Rfc9421Signature,
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    public_key_pem: str,
) -> bool:
    """Tell whether the signature verifies with this key, by its alg or else by the key's type."""
    key = load_public_key(public_key_pem)
    others = {name: value for name, value in headers.items() if name not in _FIELDS}
    message = _Request(method=method.upper(), url=url, headers={**others, **signature.fields})
    for algorithm in _algorithms_for(signature.alg, key):
        verifier = _Verifier(signature_algorithm=algorithm, key_resolver=_OneKey(key))
        try:
            verifier.verify(message, max_age=None)
        except HTTPMessageSignaturesException:
            continue
        return True
    return False


@dataclass(frozen=True, slots=True)
class _Request:
    """The parts of a request the library reads: its method, its URL and its headers."""

    method: str
    url: str
    headers: dict[str, str]


class _OneKey(HTTPSignatureKeyResolver):
    """Answer the one key already looked up, whatever key id the library asks for."""

    def __init__(self, key: PublicKeyTypes) -> None:
        """Keep the key to answer with."""
        self.key = key

    def resolve_public_key(self, key_id: str) -> PublicKeyTypes:
        """Return the key looked up before verifying."""
        return self.key


class _Verifier(HTTPMessageVerifier):
    """The library's verifier, with the clock left to check_request (which takes `now`)."""

    def validate_created_and_expires(self, sig_input: Any, max_age: Any = None) -> None:
        """Check nothing here: check_request has judged created and expires already."""


def _algorithms_for(alg: str | None, key: PublicKeyTypes) -> list[type[HTTPSignatureAlgorithm]]:
    """Return the algorithms to try: the one named, else those the key's type allows."""
    if alg is not None:
        if alg not in _ALGORITHMS:
            raise SignatureError(f"unsupported algorithm: {alg}")
        if not isinstance(key, _KEY_TYPES[alg]):
            raise SignatureError(f"unsupported algorithm: {alg} does not fit the key's type")
        return [_ALGORITHMS[alg]]
    if isinstance(key, rsa.RSAPublicKey):
        # Fediverse servers sign with PKCS#1 v1.5; RFC 9421's own examples use PSS.
        return [algorithms.RSA_V1_5_SHA256, algorithms.RSA_PSS_SHA512]
    if isinstance(key, ed25519.Ed25519PublicKey):
        return [algorithms.ED25519]
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return [algorithms.ECDSA_P256_SHA256]
    raise SignatureError("unsupported algorithm: no algorithm fits the key's type")


def _component(name: Any, params: Mapping[str, Any]) -> str:
    """Name a covered component, with its parameters, as one string (`"@query-param;name=a"`)."""
    if not isinstance(name, str):
        raise SignatureError("malformed signature: a covered component is not a string")
    return ";".join([name, *(f"{key}={value}" for key, value in params.items())])


def _dictionary(headers: Mapping[str, str], name: str) -> dict[str, Any]:
    """Parse a header holding a Structured Fields dictionary, refusing a malformed one."""
    if name not in headers:
        raise SignatureError(f"missing header: {name}")
    try:
        parsed = http_sf.parse(headers[name].encode("ascii"), tltype="dictionary")
    except (ValueError, UnicodeEncodeError) as exc:
        raise SignatureError(f"malformed signature: the {name} header cannot be read") from exc
    if not isinstance(parsed, dict):
        raise SignatureError(f"malformed signature: the {name} header cannot be read")
    return parsed
