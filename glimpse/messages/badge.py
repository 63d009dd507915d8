"""The navigation's count of conversations with unread messages, cached per account.

Read from the cache on every page (no query), counted by ``selectors`` only when the cache
lacks it; ``forget`` drops it whenever a member's unread state changes (a message arrives or
is unsent, a conversation is read, muted, accepted or deleted). The cached value is a
versioned card (``glimpse.core.cards``), so a reader counting just before a change commits
cannot put its old count back.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.core.cards import cards_forget_now_and_on_commit, cards_get
from glimpse.messages import selectors

KEY = "messages:unread:{}"


def unread_badge(*, viewer: User) -> int:
    """Return how many of the viewer's conversations have unread messages, from the cache."""
    counts = cards_get(
        KEY,
        [viewer.pk],
        lambda ids: {viewer.pk: selectors.unread_conversations_count(viewer=viewer)},
        ttl=settings.GLIMPSE_NOTIFICATIONS_UNREAD_TTL,
    )
    return counts[viewer.pk]


def forget(account_ids: Iterable[int]) -> None:
    """Drop these accounts' cached counts, now and again once the transaction commits."""
    cards_forget_now_and_on_commit(KEY, account_ids)
