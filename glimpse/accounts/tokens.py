"""The format of personal API tokens: a recognisable prefix and 256 random bits."""

import hashlib
import secrets

TOKEN_PREFIX = "glp_"  # noqa: S105 - a public marker, not a secret


def token_generate() -> str:
    """Return a new token secret."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(secret: str) -> str:
    """Return the SHA-256 digest under which a token secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()
