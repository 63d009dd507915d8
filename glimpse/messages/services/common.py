"""What several message services share: a group always has an admin, and unsent or erased
media lose their files after commit."""

from __future__ import annotations

from django.db import transaction

from glimpse.media.storage import media_path, storage_delete_prefix
from glimpse.messages.models import Member


def admin_keep(conversation_id: int) -> None:
    """Make the longest-standing member an admin of a group left with members but no admin."""
    active = Member.objects.filter(conversation_id=conversation_id, state=Member.State.ACTIVE)
    if active.filter(role=Member.Role.ADMIN).exists():
        return
    first = active.order_by("joined_at", "pk").first()
    if first is not None:
        Member.objects.filter(pk=first.pk).update(role=Member.Role.ADMIN)


def files_delete_on_commit(storage_keys: list[str]) -> None:
    """Delete the stored files of these media items once the transaction commits."""

    def delete() -> None:
        for key in storage_keys:
            storage_delete_prefix(media_path(key))

    if storage_keys:
        transaction.on_commit(delete)
