"""Every write to conversations: start one, rename, mute, accept, delete for oneself, members
(add, remove, leave, admins), read up to a message, typing, and one's messaging settings.

Each service checks everything first and writes in one transaction: a refusal writes nothing.
What members see change reaches their sockets after commit (``messages.delivery``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction

from glimpse.accounts.models import User
from glimpse.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from glimpse.graph.visibility import accounts_visible_to
from glimpse.media.models import MediaItem
from glimpse.messages import delivery, rules, selectors
from glimpse.messages.models import Conversation, Member, MessagingSettings
from glimpse.messages.services.common import admin_keep


def conversation_start(
    *, actor: User, usernames: Sequence[str], name: str = ""
) -> tuple[Conversation, bool]:
    """Start a conversation with these accounts; return it and whether it is new. One account
    and no name is a one-to-one: an existing one with that account is returned instead."""
    others = _accounts_named(actor, usernames)
    name = _checked_name(name)
    if len(others) == 1 and not name:
        existing = _pair_conversation(actor, others[0])
        if existing is not None:
            return existing, False
    limit = settings.GLIMPSE_GROUP_MEMBERS_MAX
    if len(others) + 1 > limit:
        raise InvalidInput(fields={"usernames": [f"A group has at most {limit} members."]})
    _refuse_those_refusing(actor, others)
    accepting = rules.accepting_ids(actor, [account.pk for account in others])
    direct = len(others) == 1 and not name
    with transaction.atomic():
        rules.requests_limit_check(actor, new_requests=len(others) - len(accepting))
        conversation = Conversation(
            kind=Conversation.Kind.DIRECT if direct else Conversation.Kind.GROUP,
            name=name,
            created_by=actor,
            pair_key=Conversation.pair_key_of(actor.pk, others[0].pk) if direct else None,
        )
        try:
            with transaction.atomic():
                conversation.save()
        except IntegrityError:
            # The other side started the same one-to-one a moment ago: that one is ours too.
            found = _pair_conversation(actor, others[0])
            if found is None:
                raise Conflict("You can't start a conversation with this account.") from None
            return found, False
        Conversation.objects.filter(pk=conversation.pk).update(activity_id=conversation.pk)
        conversation.activity_id = conversation.pk
        role = Member.Role.MEMBER if direct else Member.Role.ADMIN
        Member.objects.bulk_create(
            [
                Member(conversation=conversation, account=actor, role=role),
                *(
                    Member(
                        conversation=conversation, account=account, accepted=account.pk in accepting
                    )
                    for account in others
                ),
            ]
        )
        delivery.conversation_changed_on_commit(conversation.pk)
    return conversation, True


def conversation_update(
    *,
    actor: User,
    conversation_id: int,
    name: str | None = None,
    photo_media_id: int | None = None,
    muted: bool | None = None,
    accepted: bool | None = None,
) -> Conversation:
    """Rename a group or set its photo (its members), mute it or accept it from Requests (for
    oneself); only what is given changes."""
    conversation, member = selectors.conversation_get(viewer=actor, conversation_id=conversation_id)
    if (name is not None or photo_media_id is not None) and conversation.kind != "group":
        raise InvalidInput(fields={"name": ["Only a group has a name and a photo."]})
    if accepted is False and member.accepted:
        raise InvalidInput(fields={"accepted": ["Delete the conversation to set it aside."]})
    photo = _group_photo(actor, photo_media_id) if photo_media_id is not None else None
    with transaction.atomic():
        own: dict[str, object] = {}
        if muted is not None:
            own["muted"] = muted
        if accepted:
            own["accepted"] = True
        if own:
            Member.objects.filter(pk=member.pk).update(**own)
        shared: dict[str, object] = {}
        if name is not None:
            shared["name"] = _checked_name(name)
        if photo is not None:
            shared["photo"] = photo
        if shared:
            Conversation.objects.filter(pk=conversation.pk).update(**shared)
            delivery.conversation_changed_on_commit(conversation.pk)
        if accepted and not member.accepted:
            delivery.read_receipts_on_commit(conversation.pk)
            delivery.badges_on_commit([actor.pk])
        elif muted is not None:
            delivery.badges_on_commit([actor.pk])
    conversation.refresh_from_db()
    return conversation


def conversation_delete_for_me(*, actor: User, conversation_id: int) -> None:
    """Delete a conversation for oneself: its messages so far are gone for the actor and it
    leaves the inbox (a request is declined) until a new message arrives."""
    conversation, member = selectors.conversation_get(viewer=actor, conversation_id=conversation_id)
    upto = conversation.activity_id
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(
            visible_after_id=upto, hidden_until_id=upto, last_read_id=upto
        )
        delivery.badges_on_commit([actor.pk])


def conversation_read(*, actor: User, conversation_id: int, message_id: int) -> int:
    """Mark the conversation read up to a message the actor may see; return the new mark."""
    _, member = selectors.conversation_get(viewer=actor, conversation_id=conversation_id)
    message = selectors.message_get(viewer=actor, message_id=message_id)
    if message.conversation_id != conversation_id:
        raise NotFound("No message with this id in this conversation.")
    if message.pk <= member.last_read_id:
        return member.last_read_id
    with transaction.atomic():
        Member.objects.filter(pk=member.pk, last_read_id__lt=message.pk).update(
            last_read_id=message.pk
        )
        delivery.read_on_commit(conversation_id, actor.pk, message.pk)
        delivery.badges_on_commit([actor.pk])
    return message.pk


def conversation_typing(*, actor: User, conversation_id: int) -> None:
    """Tell the other members with a page open that the actor is typing."""
    conversation, member = selectors.conversation_get(viewer=actor, conversation_id=conversation_id)
    if not member.accepted:
        raise PermissionDenied("Accept this request to reply.", code="request_pending")
    delivery.typing_now(conversation.pk, actor)


def members_add(*, actor: User, conversation_id: int, usernames: Sequence[str]) -> Conversation:
    """Add accounts to a group the actor administers; they read its messages from now on."""
    conversation, _ = _administered(actor, conversation_id)
    accounts = _accounts_named(actor, usernames)
    current = set(
        conversation.members.filter(state=Member.State.ACTIVE).values_list("account_id", flat=True)
    )
    accounts = [account for account in accounts if account.pk not in current]
    limit = settings.GLIMPSE_GROUP_MEMBERS_MAX
    if len(current) + len(accounts) > limit:
        raise InvalidInput(fields={"usernames": [f"A group has at most {limit} members."]})
    _refuse_those_refusing(actor, accounts)
    accepting = rules.accepting_ids(actor, [account.pk for account in accounts])
    with transaction.atomic():
        for account in accounts:
            Member.objects.update_or_create(
                conversation=conversation,
                account=account,
                defaults={
                    "state": Member.State.ACTIVE,
                    "role": Member.Role.MEMBER,
                    "accepted": account.pk in accepting,
                    "visible_after_id": conversation.activity_id,
                    "hidden_until_id": 0,
                    "last_read_id": conversation.activity_id,
                },
            )
        delivery.conversation_changed_on_commit(conversation.pk)
    return conversation


def member_remove(*, actor: User, conversation_id: int, username: str) -> None:
    """Remove a member from a group the actor administers."""
    conversation, _ = _administered(actor, conversation_id)
    member = _member_named(conversation, username)
    if member.account_id == actor.pk:
        raise InvalidInput(fields={"username": ["Leave the group instead."]})
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(state=Member.State.REMOVED)
        delivery.conversation_changed_on_commit(conversation.pk, also=[member.account_id])


def member_admin_set(*, actor: User, conversation_id: int, username: str, admin: bool) -> None:
    """Make a member of a group the actor administers an admin, or not."""
    conversation, _ = _administered(actor, conversation_id)
    member = _member_named(conversation, username)
    role = Member.Role.ADMIN if admin else Member.Role.MEMBER
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(role=role)
        admin_keep(conversation.pk)
        delivery.conversation_changed_on_commit(conversation.pk)


def conversation_leave(*, actor: User, conversation_id: int) -> None:
    """Leave a group: it is gone from the actor's inbox, and someone else becomes an admin if
    the actor was the last one."""
    conversation, member = selectors.conversation_get(viewer=actor, conversation_id=conversation_id)
    if conversation.kind != Conversation.Kind.GROUP:
        raise InvalidInput(
            fields={"conversation": ["Only a group can be left; delete it instead."]}
        )
    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(state=Member.State.LEFT, role=Member.Role.MEMBER)
        admin_keep(conversation.pk)
        delivery.conversation_changed_on_commit(conversation.pk, also=[actor.pk])


def messaging_settings_update(
    *, account: User, allow_from: str | None = None, read_receipts: bool | None = None
) -> MessagingSettings:
    """Change who may start a conversation with the account, and whether it sends read
    receipts (without them it sees no one else's either)."""
    if allow_from is not None and allow_from not in MessagingSettings.AllowFrom.values:
        choices = ", ".join(MessagingSettings.AllowFrom.values)
        raise InvalidInput(fields={"allow_from": [f"Choose one of {choices}."]})
    found = selectors.messaging_settings(viewer=account)
    if allow_from is not None:
        found.allow_from = allow_from
    if read_receipts is not None:
        found.read_receipts = read_receipts
    found.save()
    return found


def _accounts_named(actor: User, usernames: Sequence[str]) -> list[User]:
    """Return the accounts the actor may see by these usernames (not the actor), in order;
    refuse any it may not see as unknown."""
    wanted = list(dict.fromkeys(name.strip().lstrip("@").lower() for name in usernames))
    wanted = [name for name in wanted if name and name != actor.username.lower()]
    if not wanted:
        raise InvalidInput(fields={"usernames": ["Name at least one other account."]})
    found = {
        account.username: account
        for account in User.objects.filter(accounts_visible_to(actor), username__in=wanted)
    }
    missing = [name for name in wanted if name not in found]
    if missing:
        raise InvalidInput(fields={"usernames": [f"No account named {', '.join(missing)}."]})
    return [found[name] for name in wanted]


def _refuse_those_refusing(actor: User, accounts: Sequence[User]) -> None:
    """Refuse (403) when one of the accounts takes no new conversation from the actor."""
    refused = rules.refusing(actor, accounts)
    if refused:
        names = ", ".join(account.username for account in refused)
        raise PermissionDenied(
            f"{names} can't be messaged by you: they only take messages from people they follow.",
            code="messages_refused",
        )


def _pair_conversation(actor: User, other: User) -> Conversation | None:
    """Return the actor's one-to-one conversation with the other account, if there is one."""
    key = Conversation.pair_key_of(actor.pk, other.pk)
    return Conversation.objects.visible_to(actor).filter(pair_key=key).first()


def _checked_name(name: str) -> str:
    """Return a group's name, trimmed, or refuse one too long."""
    name = " ".join(name.split())
    limit = settings.GLIMPSE_GROUP_NAME_MAX
    if len(name) > limit:
        raise InvalidInput(fields={"name": [f"A group's name has at most {limit} characters."]})
    return name


def _group_photo(actor: User, media_id: int) -> MediaItem:
    """Return a ready photo of the actor's to show as a group's photo."""
    item = MediaItem.objects.filter(pk=media_id, owner=actor).first()
    if item is None:
        raise NotFound("No media item with this id.")
    if item.kind != MediaItem.Kind.PHOTO or item.status != MediaItem.Status.READY:
        raise Conflict("A group's photo is a ready photo.", code="not_ready")
    return item


def _administered(actor: User, conversation_id: int) -> tuple[Conversation, Member]:
    """Return a group the actor is an admin of, and the actor's member row."""
    conversation, member = selectors.conversation_get(viewer=actor, conversation_id=conversation_id)
    if conversation.kind != Conversation.Kind.GROUP:
        raise InvalidInput(fields={"conversation": ["Only a group has members to manage."]})
    if member.role != Member.Role.ADMIN:
        raise PermissionDenied("Only the group's admins can do this.")
    return conversation, member


def _member_named(conversation: Conversation, username: str) -> Member:
    """Return the active member of a conversation with this username."""
    member = (
        conversation.members.filter(
            state=Member.State.ACTIVE, account__username=username.strip().lstrip("@").lower()
        )
        .select_related("account")
        .first()
    )
    if member is None:
        raise NotFound("No member with this username in this group.")
    return member
