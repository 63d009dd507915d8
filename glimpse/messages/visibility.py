"""The visibility policy of graph/ applied to conversations and messages: their one entry.

- A conversation is seen by its members who are still in it (not left, not removed). A
  one-to-one conversation is seen by neither side while a block stands between them, or
  while the other side's account is closed (suspended, awaiting deletion): the accounts
  rule of ``graph.visibility``. An erased account leaves no member row: the conversation
  stays, its other side shown as "Glimpse user".
- A member sees the messages sent since it joined and after what it deleted for itself,
  whose sender it may see (in a group, a blocked member's messages are not shown to the
  blocker, nor the blocker's to them).
- What a message shares (a post, a Reel, a story, a profile) is asked of that content's own
  entry at read time, for each member: a member who may not see it gets "unavailable".

Whatever a viewer may not see answers exactly like a missing object (404, same body).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import Combinable

from glimpse.accounts.models import User
from glimpse.graph.visibility import accounts_visible_to, blocked_pairs

if TYPE_CHECKING:
    from glimpse.messages.models import Member, Message


def conversations_visible_to(viewer: User, *, conversation: str = "") -> Q:
    """Return a filter keeping the conversations (at path ``conversation``) the viewer is in
    and may see: a member still in it, and in a one-to-one, the other side visible."""
    from glimpse.messages.models import Member

    prefix = f"{conversation}__" if conversation else ""
    key = conversation or "pk"
    mine = Member.objects.filter(account=viewer, state=Member.State.ACTIVE).values(
        "conversation_id"
    )
    hidden_other = Member.objects.filter(conversation_id=OuterRef(key)).exclude(
        account_id=viewer.pk
    )
    hidden_other = hidden_other.exclude(accounts_visible_to(viewer, account="account"))
    direct_hidden = Q(**{f"{prefix}kind": "direct"}) & Q(Exists(hidden_other))
    return Q(**{f"{key}__in": mine}) & ~direct_hidden


def messages_visible_to(viewer: User, *, since: int | Combinable) -> Q:
    """Return a filter keeping the messages of one conversation the viewer may read, given the
    id after which its member row lets it read (``Member.visible_after_id``, a value or an outer
    reference): later messages, by a sender it may see (its own always)."""
    sender = accounts_visible_to(viewer, account="sender") | Q(sender_id=viewer.pk)
    return Q(id__gt=since) & sender


def message_readers(message: Message, rows: Sequence[Member], sender: User) -> list[Member]:
    """Return the rows, among every member row of a message's conversation (accounts loaded),
    of the accounts that may read it: the rules of ``conversations_visible_to`` and
    ``messages_visible_to``, for all members at once (one query, for the blocks)."""
    ids = {row.account_id for row in rows}
    blocked = blocked_pairs(ids, ids | {sender.pk})

    def sees(viewer_id: int, account: User) -> bool:
        """The accounts rule of ``graph.visibility``, and one's own messages always."""
        return account.pk == viewer_id or (
            account.is_active and (viewer_id, account.pk) not in blocked
        )

    direct = message.conversation.kind == "direct"
    return [
        row
        for row in rows
        if row.state == "active"
        and message.pk > row.visible_after_id
        and sees(row.account_id, sender)
        and not (
            direct
            and any(
                not sees(row.account_id, other.account)
                for other in rows
                if other.account_id != row.account_id
            )
        )
    ]
