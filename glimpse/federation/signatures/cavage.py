"""Signatures in the form of draft-cavage-http-signatures (version 12), which Mastodon, Pixelfed
and GoToSocial send and expect: signing outgoing requests, and checking incoming ones."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from django.utils.http import http_date

from glimpse.federation.signatures.common import (
    SignatureError,
    authority,
    check_not_expired,
    check_within_window,
    from_timestamp,
    load_private_key,
    load_public_key,
    lower_headers,
    request_target,
)
from glimpse.federation.signatures.digests import check_digest, digest_header

# One `name="value"` (or `name=123`, for created and expires) and its comma.
_PARAMETER = re.compile(r'\s*([A-Za-z]+)\s*=\s*(?:"([^"]*)"|([0-9]+))\s*(?:,|$)')
_ALGORITHMS = frozenset({"rsa-sha256", "hs2019"})
# The headers sign_request sets itself, replacing any the caller gave.
_SET_HERE = frozenset({"host", "date", "digest", "signature"})


@dataclass(frozen=True, slots=True)
class CavageSignature:
    """The parameters of a draft-cavage `Signature` header."""

    key_id: str
    algorithm: str
    headers: tuple[str, ...]
    signature: bytes
    created: int | None
    expires: int | None


def sign_request(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    key_id: str,
    private_key_pem: str,
    now: dt.datetime | None = None,
) -> dict[str, str]:
    """Return the headers to send: the given ones plus Host, Date, Digest and Signature."""
    if '"' in key_id:
        raise ValueError("a key id cannot hold a double quote")
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    sent = {name: value for name, value in headers.items() if name.lower() not in _SET_HERE}
    sent["Host"] = authority(url)
    sent["Date"] = http_date(moment.timestamp())
    signed = ["(request-target)", "host", "date"]
    if body is not None:
        sent["Digest"] = digest_header(body)
        signed.append("digest")
    elif any(name.lower() == "accept" for name in sent):
        signed.append("accept")
    text = signing_string(method=method, url=url, headers=lower_headers(sent), signed=signed)
    sent["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(signed)}",'
        f'signature="{sign_text(text, private_key_pem)}"'
    )
    return sent


def sign_text(text: str, private_key_pem: str) -> str:
    """Sign a signing string with an RSA key (PKCS#1 v1.5, SHA-256); answer it in base64."""
    key = load_private_key(private_key_pem)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("draft-cavage signatures are made with an RSA key")
    value = key.sign(text.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(value).decode("ascii")


def find(headers: Mapping[str, str]) -> str | None:
    """Return the raw draft-cavage signature of lowercased headers, from either header."""
    if "signature" in headers:
        return headers["signature"]
    scheme, _, rest = headers.get("authorization", "").partition(" ")
    return rest if scheme.lower() == "signature" else None


def parse(value: str) -> CavageSignature:
    """Read a `Signature` header's parameters, refusing a malformed or incomplete one."""
    params: dict[str, str] = {}
    position, value = 0, value.strip()
    while position < len(value):
        match = _PARAMETER.match(value, position)
        if match is None or match.end() == position:
            raise SignatureError("malformed signature: the Signature header cannot be read")
        name = match.group(1)
        if name in params:
            raise SignatureError(f"malformed signature: {name} is given twice")
        params[name] = match.group(2) if match.group(2) is not None else match.group(3)
        position = match.end()
    for required in ("keyId", "signature"):
        if not params.get(required):
            raise SignatureError(f"malformed signature: the Signature header has no {required}")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except binascii.Error as exc:
        raise SignatureError("malformed signature: the signature is not base64") from exc
    return CavageSignature(
        key_id=params["keyId"],
        # An absent algorithm is read from the key, as hs2019 says.
        algorithm=params.get("algorithm", "hs2019").lower(),
        # Draft 12 defaults to (created); Mastodon and older drafts to date.
        headers=tuple(params.get("headers", "date").lower().split()),
        signature=signature,
        created=_integer(params, "created"),
        expires=_integer(params, "expires"),
    )


def signing_string(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    signed: Sequence[str],
    created: int | None = None,
    expires: int | None = None,
) -> str:
    """Build the string a draft-cavage signature covers, from lowercased headers."""
    lines = []
    for name in signed:
        if name == "(request-target)":
            value = f"{method.lower()} {request_target(url)}"
        elif name in ("(created)", "(expires)"):
            number = created if name == "(created)" else expires
            if number is None:
                raise SignatureError(f"malformed signature: {name} is signed but not given")
            value = str(number)
        elif name in headers:
            value = headers[name]
        else:
            raise SignatureError(f"missing header: the signed header {name} is not in the request")
        lines.append(f"{name}: {value}")
    return "\n".join(lines)


def check_request(
    signature: CavageSignature,
    *,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    now: dt.datetime,
) -> None:
    """Check what needs no key: the covered headers, the body's digest, Host and the clock."""
    if signature.algorithm not in _ALGORITHMS:
        raise SignatureError(f"unsupported algorithm: {signature.algorithm}")
    covered = set(signature.headers)
    _check_coverage(covered, headers=headers, body=body)
    if "digest" in covered or body:
        if "digest" not in headers:
            raise SignatureError("missing header: the request has a body but no Digest")
        check_digest(headers["digest"], body)
    if "host" in headers and not _same_host(headers["host"], url):
        raise SignatureError("wrong host: the signed Host is not the host this request reached")
    if "date" in covered:
        check_within_window(_http_date(headers.get("date", "")), now=now, what="the Date header")
    if "(created)" in covered and signature.created is not None:
        check_within_window(
            from_timestamp(signature.created, what="created"), now=now, what="created"
        )
    if signature.expires is not None:
        check_not_expired(from_timestamp(signature.expires, what="expires"), now=now)


def verifies(
    signature: CavageSignature,
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    public_key_pem: str,
) -> bool:
    """Tell whether the signature verifies with this key (RSA PKCS#1 v1.5 SHA-256, or Ed25519)."""
    key = load_public_key(public_key_pem)
    text = signing_string(
        method=method,
        url=url,
        headers=headers,
        signed=signature.headers,
        created=signature.created,
        expires=signature.expires,
    ).encode("utf-8")
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature.signature, text, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ed25519.Ed25519PublicKey) and signature.algorithm == "hs2019":
            key.verify(signature.signature, text)
        else:
            raise SignatureError(f"unsupported algorithm: {signature.algorithm} with this key type")
    except InvalidSignature:
        return False
    return True


def _check_coverage(covered: set[str], *, headers: Mapping[str, str], body: bytes) -> None:
    """Refuse a signature that leaves out a required component, or names an absent header."""
    required = ["(request-target)", "host"]
    if "(created)" not in covered:
        required.append("date")
    if body:
        required.append("digest")
    for name in required:
        if name not in covered:
            raise SignatureError(f"unsigned required component: {name}")
    for name in covered:
        if not name.startswith("(") and name not in headers:
            raise SignatureError(f"missing header: the signed header {name} is not in the request")


def _integer(params: Mapping[str, str], name: str) -> int | None:
    """Return an integer parameter, None when absent, refusing one that is not a number."""
    if name not in params:
        return None
    if not params[name].isdigit():
        raise SignatureError(f"malformed signature: {name} is not a number")
    return int(params[name])


def _same_host(host: str, url: str) -> bool:
    """Tell whether a Host header names the host (and port) of the URL a request reached."""
    try:
        return authority(f"{urlsplit(url).scheme}://{host}/") == authority(url)
    except ValueError:
        return False


def _http_date(value: str) -> dt.datetime:
    """Read an HTTP date (RFC 7231), refusing an absent or malformed one."""
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError) as exc:
        raise SignatureError("missing header: the Date header is absent or malformed") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment
