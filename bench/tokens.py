"""API tokens for benchmark clients, made in bulk."""

from __future__ import annotations

from collections.abc import Iterable

from glimpse.accounts.models import ApiToken
from glimpse.accounts.tokens import TOKEN_PREFIX, token_digest, token_generate


def bench_tokens(user_ids: Iterable[int]) -> dict[int, str]:
    """Create one API token per account, stored hashed like token_create; return the secrets."""
    secrets = {user_id: token_generate() for user_id in user_ids}
    ApiToken.objects.bulk_create(
        (
            ApiToken(
                user_id=user_id,
                name="bench",
                prefix=secret[: len(TOKEN_PREFIX) + 6],
                digest=token_digest(secret),
            )
            for user_id, secret in secrets.items()
        ),
        batch_size=2_000,
    )
    return secrets
