"""Reads of the client apps' push subscriptions."""

from __future__ import annotations

from django.db.models import QuerySet

from glimpse.accounts.oauth.credentials import Credential
from glimpse.mastodon.models import ClientPushSubscription


def client_pushes_of(credential: Credential) -> QuerySet[ClientPushSubscription]:
    """Return the push subscription of a token, as a query (none or one row)."""
    if credential.access_token is not None:
        return ClientPushSubscription.objects.filter(access_token=credential.access_token)
    return ClientPushSubscription.objects.filter(api_token=credential.api_token)


def client_push_get(*, credential: Credential) -> ClientPushSubscription | None:
    """Return the push subscription of the token a request came with, if any."""
    return client_pushes_of(credential).first()
