"""What an account leaves in direct messages when it is erased: its messages with their
photos and videos, its reactions and its place in each conversation. The other members keep
their own messages and see the account as "Glimpse user"."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from glimpse.messages import delivery
from glimpse.messages.models import Conversation, Member, Message, MessageReaction
from glimpse.messages.services.common import admin_keep, files_delete_on_commit


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
        for conversation_id in admin_of:
            admin_keep(conversation_id)
        anyone = Member.objects.filter(conversation_id=OuterRef("pk"))
        emptied = Conversation.objects.filter(pk__in=conversation_ids).exclude(Exists(anyone))
        emptied.delete()
        for conversation_id in conversation_ids:
            delivery.conversation_changed_on_commit(conversation_id)
        delivery.badges_on_commit(others)
        files_delete_on_commit(keys)
