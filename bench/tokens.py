"""API tokens for benchmark clients, made in bulk."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.module_loading import import_string

from glimpse.accounts.models import ApiToken, User
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


def bench_sessions(user_ids: Iterable[int]) -> dict[int, str]:
    """Open one signed-in browser session per account, as logging in does; return the
    session cookies (``name=key``) the web pages are requested with."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = settings.AUTHENTICATION_BACKENDS[0]
    cookies = {}
    for user in User.objects.filter(pk__in=list(user_ids)):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[user.pk] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies
