"""What an account leaves in direct messages when it is erased: its messages with their
photos and videos, its reactions and its place in each conversation. The other members keep
their own messages and see the account as "Glimpse user"."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from glimpse.media.storage import media_path, storage_delete_prefix
from glimpse.messages import delivery
from glimpse.messages.models import Conversation, Member, Message, MessageReaction


def account_messages_delete(*, user: User) -> None:
    """Delete the account's messages, media, reactions and memberships; tell the others.

    Call it in the transaction that deletes the account, before the account itself. A group
    left without an admin gets one; a conversation left with no member at all is deleted.
    """
    with transaction.atomic():
        rows = Member.objects.filter(account=user)
        conversation_ids = list(rows.values_list("conversation_id", flat=True))
        others = set(
            Member.objects.filter(conversation_id__in=conversation_ids, state=Member.State.ACTIVE)
            .exclude(account=user)
            .values_list("account_id", flat=True)
        )
        MessageReaction.objects.filter(account=user).delete()
        media = MediaItem.objects.filter(message_use__message__sender=user)
        keys = list(media.values_list("storage_key", flat=True))
        media.delete()
        Message.objects.filter(sender=user).delete()
        admin_of = list(
            rows.filter(state=Member.State.ACTIVE, role=Member.Role.ADMIN).values_list(
                "conversation_id", flat=True
            )
        )
        rows.delete()
        _admins_keep(admin_of)
        anyone = Member.objects.filter(conversation_id=OuterRef("pk"))
        emptied = Conversation.objects.filter(pk__in=conversation_ids).exclude(Exists(anyone))
        emptied.delete()
        for conversation_id in conversation_ids:
            delivery.conversation_changed_on_commit(conversation_id)
        delivery.badges_on_commit(others)
        transaction.on_commit(lambda: _files_delete(keys))


def _admins_keep(conversation_ids: list[int]) -> None:
    """Make the longest-standing member an admin of each of these groups left without one."""
    for conversation_id in conversation_ids:
        active = Member.objects.filter(conversation_id=conversation_id, state=Member.State.ACTIVE)
        if active.filter(role=Member.Role.ADMIN).exists():
            continue
        first = active.order_by("joined_at", "pk").first()
        if first is not None:
            Member.objects.filter(pk=first.pk).update(role=Member.Role.ADMIN)


def _files_delete(keys: list[str]) -> None:
    """Delete the stored files of the account's message media."""
    for key in keys:
        storage_delete_prefix(media_path(key))
