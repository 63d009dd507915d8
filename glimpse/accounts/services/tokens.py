"""API tokens: create, revoke, and note their use."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.tokens import TOKEN_PREFIX, token_digest, token_generate
from glimpse.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
)
from glimpse.core.event_bus import publish
from glimpse.core.events import (
    TokensRevoked,
)
from glimpse.core.ratelimit import rate_limit_hit


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and stored only hashed.

    An account holds at most ``GLIMPSE_MAX_TOKENS_PER_ACCOUNT`` active tokens (409 past it)
    and creates at most ``GLIMPSE_RATE_TOKEN_CREATE`` in a window (429 past it).
    """
    name = name.strip() or "API token"
    if len(name) > 64:
        raise InvalidInput(fields={"name": ["Token names have at most 64 characters."]})
    most = settings.GLIMPSE_MAX_TOKENS_PER_ACCOUNT
    secret = token_generate()
    with transaction.atomic():
        # The account's row is the lock, so that concurrent creations cannot pass the cap.
        User.objects.select_for_update().filter(pk=user.pk).exists()
        if user.api_tokens.filter(revoked_at__isnull=True).count() >= most:
            raise Conflict(
                f"This account already has {most} active API tokens, the most it may have. "
                "Revoke one you no longer use, then try again.",
                code="too_many_tokens",
            )
        limit, window = settings.GLIMPSE_RATE_TOKEN_CREATE
        rate_limit_hit(scope="token-create", identity=str(user.pk), limit=limit, window=window)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            digest=token_digest(secret),
        )
    return token, secret


def token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of the account's tokens."""
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise NotFound("No active token with this id.")
    publish(TokensRevoked(account_id=user.pk, token_ids=(token_id,)))


def token_touch(*, token: ApiToken) -> None:
    """Record that a token was used, at most once every few minutes."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
