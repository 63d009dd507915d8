"""Account cards: what posts and feeds show of an account, cached by id.

A card is the account as its presenter shows it, plus whether it is active. Cards live in
the cache for GLIMPSE_CARD_TTL seconds and are dropped as soon as a profile change commits, so
a feed page reads no account row. Losing the cache only costs the rows read again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from glimpse.accounts.models import User
from glimpse.accounts.selectors import avatar_urls
from glimpse.core.cards import cards_forget_on_commit, cards_get

KEY = "card:account:v2:{}"


@dataclass(frozen=True)
class AccountCard:
    """What every viewer sees of an account, and whether it is active."""

    id: int
    username: str
    display_name: str
    is_private: bool
    avatar: dict[str, str] | None  # URLs by pixel size
    is_active: bool


def account_card(user: User) -> AccountCard:
    """Return the card of an account row."""
    return AccountCard(
        id=user.pk,
        username=user.username,
        display_name=user.display_name,
        is_private=user.is_private,
        avatar=avatar_urls(user),
        is_active=user.is_active,
    )


def account_cards(ids: Iterable[int]) -> dict[int, AccountCard]:
    """Return the cards of these accounts by id, reading only the ones the cache lacks."""
    return cards_get(KEY, ids, _load)


def _load(ids: set[int]) -> dict[int, AccountCard]:
    return {user.pk: account_card(user) for user in User.objects.filter(pk__in=ids)}


def account_cards_forget_on_commit(*ids: int) -> None:
    """Drop these accounts' cards once the transaction that changes them commits."""
    cards_forget_on_commit(KEY, ids)
