"""Tell the members' sockets (and, for a new message, their devices) what changed in their
conversations, once the transaction commits.

Each member gets the message as it sees it (``selectors.message_for``: what it shares is
checked for that member), so one send makes one event per member. Events:

- ``message.new``, ``message.edited``, ``message.reactions``: ``{"message": MessageJson}``;
- ``message.unsent``: ``{"conversation_id", "message_id"}``;
- ``conversation.read``: ``{"conversation_id", "account_id", "message_id"}``, only between
  members who both send read receipts, and never from a member who has not accepted;
- ``conversation.typing``: ``{"conversation_id", "account": AccountJson}``, to members with a
  page open;
- ``conversation.updated``: ``{"conversation_id"}`` (renamed, members changed);
- ``messages.unread``: ``{"count"}``, the badge.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from django.db import transaction

from glimpse.accounts.models import User
from glimpse.accounts.presenters import account_json, account_view_of
from glimpse.core.jobs import enqueue
from glimpse.messages import badge, selectors
from glimpse.messages.models import Member
from glimpse.messages.presenters import message_json, message_views
from glimpse.messages.tasks import message_push_job
from glimpse.realtime.sockets import publish_now, publish_to_present


def message_sent_on_commit(message_id: int) -> None:
    """After commit, send a new message to its members and push it to those away."""
    transaction.on_commit(lambda: _message_out(message_id, "message.new", push=True))


def message_changed_on_commit(message_id: int, kind: str) -> None:
    """After commit, send a message's new state (edited, reactions) to its members."""
    transaction.on_commit(lambda: _message_out(message_id, kind, push=False))


def message_unsent_on_commit(conversation_id: int, message_id: int) -> None:
    """After commit, tell a conversation's members that a message is gone."""
    member_ids = selectors.member_account_ids(conversation_id=conversation_id)
    data = {"conversation_id": str(conversation_id), "message_id": str(message_id)}
    badges_on_commit(member_ids)
    transaction.on_commit(lambda: _to_each(member_ids, "message.unsent", data))


def read_on_commit(conversation_id: int, reader_id: int, message_id: int) -> None:
    """After commit, show the other members who send read receipts how far a member read."""
    transaction.on_commit(lambda: _read_out(conversation_id, reader_id, message_id))


def read_receipts_on_commit(conversation_id: int) -> None:
    """After commit, show how far the members read (a request was just accepted)."""

    def out() -> None:
        for reader_id, upto in Member.objects.filter(
            conversation_id=conversation_id, state=Member.State.ACTIVE, accepted=True
        ).values_list("account_id", "last_read_id"):
            _read_out(conversation_id, reader_id, upto)

    transaction.on_commit(out)


def conversation_changed_on_commit(conversation_id: int, *, also: Iterable[int] = ()) -> None:
    """After commit, tell the members (and ``also`` those just out) that it changed."""
    extra = list(also)

    def out() -> None:
        ids = {*selectors.member_account_ids(conversation_id=conversation_id), *extra}
        _to_each(sorted(ids), "conversation.updated", {"conversation_id": str(conversation_id)})
        badge.forget(ids)

    transaction.on_commit(out)


def badges_on_commit(account_ids: Iterable[int]) -> None:
    """Forget these accounts' badge counts, and after commit send each its new count."""
    ids = sorted(set(account_ids))
    badge.forget(ids)
    transaction.on_commit(lambda: _badges_out(ids))


def typing_now(conversation_id: int, typist: User) -> None:
    """Tell the other members with a page open that a member is typing."""
    member_ids = selectors.member_account_ids(conversation_id=conversation_id)
    data = {
        "conversation_id": str(conversation_id),
        "account": account_json(account_view_of(typist)),
    }
    publish_to_present([pk for pk in member_ids if pk != typist.pk], "conversation.typing", data)


def _message_out(message_id: int, kind: str, *, push: bool) -> None:
    """Send a message, as each member sees it, to each member that may read it (a member
    it is hidden from, by a block in a group, is not told)."""
    seen_by = selectors.message_for_members(message_id=message_id)  # none: unsent meanwhile
    if not seen_by:
        return
    for account_id, seen in seen_by.items():
        view = message_views([seen], viewer_id=account_id)[0]
        publish_now(account_id, kind, {"message": _plain(message_json(view))})
    # Then what can wait until every open page has the message: badges, pushes.
    sender_id = next(iter(seen_by.values())).sender_id
    others = [pk for pk in seen_by if pk != sender_id]
    if kind == "message.new":
        badge.forget(seen_by)
        _badges_out(others)
    for account_id in others if push else []:
        enqueue(message_push_job, account_id, message_id)


def _read_out(conversation_id: int, reader_id: int, message_id: int) -> None:
    """Send a member's read mark to the other members, where receipts are on both sides."""
    rows = Member.objects.filter(conversation_id=conversation_id, state=Member.State.ACTIVE)
    reader = rows.filter(account_id=reader_id, accepted=True).first()
    if reader is None:
        return
    others = list(rows.exclude(account_id=reader_id).values_list("account_id", flat=True))
    off = selectors.receipts_off(account_ids=[reader_id, *others])
    if reader_id in off:
        return
    data = {
        "conversation_id": str(conversation_id),
        "account_id": str(reader_id),
        "message_id": str(message_id),
    }
    _to_each([pk for pk in others if pk not in off], "conversation.read", data)


def _badges_out(account_ids: Iterable[int]) -> None:
    """Send each account its badge count."""
    for account in User.objects.filter(pk__in=list(account_ids), is_active=True):
        publish_now(account.pk, "messages.unread", {"count": badge.unread_badge(viewer=account)})


def _plain(data: object) -> Any:
    """Return data as plain JSON types (times as ISO 8601 in UTC), as events carry them."""
    return orjson.loads(orjson.dumps(data, option=orjson.OPT_UTC_Z))


def _to_each(account_ids: Iterable[int], kind: str, data: dict[str, Any]) -> None:
    """Send the same event to each of these accounts."""
    for account_id in account_ids:
        publish_now(account_id, kind, data)
