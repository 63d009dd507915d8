"""Signing outgoing requests in the form of RFC 9421 (`Signature-Input` and `Signature`), for
servers that ask for it; the algorithm follows the private key's type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from http_message_signatures import (
    HTTPMessageSigner,
    HTTPSignatureAlgorithm,
    HTTPSignatureKeyResolver,
    algorithms,
)

from glimpse.federation.signatures.common import load_private_key
from glimpse.federation.signatures.digests import content_digest_header


def sign_request_rfc9421(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    key_id: str,
    private_key_pem: str,
    now: dt.datetime | None = None,
    expires: dt.datetime | None = None,
    components: Sequence[str] | None = None,
    label: str = "sig1",
    include_alg: bool = True,
) -> dict[str, str]:
    """Return the headers to send: the given ones plus Content-Digest, Signature-Input, Signature.

    By default the signature covers the method, the target URI and, with a body, its digest.
    """
    key = load_private_key(private_key_pem)
    sent = {
        name: value
        for name, value in headers.items()
        if name.lower() not in {"signature", "signature-input"}
    }
    if body is not None:
        sent = {name: value for name, value in sent.items() if name.lower() != "content-digest"}
        sent["Content-Digest"] = content_digest_header(body)
    if components is None:
        components = ["@method", "@target-uri", *(["content-digest"] if body is not None else [])]
    message = _Request(method=method.upper(), url=url, headers=sent)
    signer = HTTPMessageSigner(signature_algorithm=_algorithm_for(key), key_resolver=_OneKey(key))
    signer.sign(
        message,
        key_id=key_id,
        created=now if now is not None else dt.datetime.now(dt.UTC),
        expires=expires,
        label=label,
        include_alg=include_alg,
        covered_component_ids=components,
    )
    return message.headers


class _Request:
    """The parts of a request the library reads and writes: method, URL, headers."""

    def __init__(self, *, method: str, url: str, headers: dict[str, str]) -> None:
        """Hold the request's parts; the library adds its two headers to `headers`."""
        self.method = method
        self.url = url
        self.headers = headers


class _OneKey(HTTPSignatureKeyResolver):
    """Answer the one private key being signed with."""

    def __init__(self, key: PrivateKeyTypes) -> None:
        """Keep the key to answer with."""
        self.key = key

    def resolve_private_key(self, key_id: str) -> PrivateKeyTypes:
        """Return the key to sign with."""
        return self.key


def _algorithm_for(key: PrivateKeyTypes) -> type[HTTPSignatureAlgorithm]:
    """Pick the algorithm a private key signs with."""
    if isinstance(key, rsa.RSAPrivateKey):
        return algorithms.RSA_V1_5_SHA256
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return algorithms.ED25519
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return algorithms.ECDSA_P256_SHA256
    raise ValueError("no RFC 9421 algorithm signs with this type of key")
