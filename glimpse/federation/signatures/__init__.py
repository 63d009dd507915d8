"""HTTP signatures for federation (docs/federation.md, "Signatures"): outgoing requests signed
in the draft-cavage form other servers expect; incoming ones verified in that form or RFC 9421's.
(An RFC 9421 signer is there too, for servers that ask for that form.) Pure functions: keys
come from the caller, nothing is stored."""

from glimpse.federation.signatures.cavage import sign_request
from glimpse.federation.signatures.common import (
    KeyLookup,
    PublicKeyInfo,
    SignatureError,
    VerifiedSignature,
    same_origin,
)
from glimpse.federation.signatures.rfc9421_signing import sign_request_rfc9421
from glimpse.federation.signatures.verify import verify_request

__all__ = [
    "KeyLookup",
    "PublicKeyInfo",
    "SignatureError",
    "VerifiedSignature",
    "same_origin",
    "sign_request",
    "sign_request_rfc9421",
    "verify_request",
]
