"""A local account moving to another account, usually on another server: checked, marked
moved, its followers here carried over (``carry``) and its followers' servers sent a ``Move``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from glimpse.accounts.models import User
from glimpse.accounts.services import account_move_record
from glimpse.core.errors import Conflict, InvalidInput
from glimpse.core.jobs import enqueue_on_commit
from glimpse.federation.actors import actor_id
from glimpse.federation.delivery.services import deliver_activity
from glimpse.federation.moves.activities import move_of
from glimpse.federation.moves.finding import account_find
from glimpse.federation.moves.selectors import MOVE_COOLDOWN, also_known_as, handle_of
from glimpse.federation.moves.tasks import federation_followers_move
from glimpse.federation.recipients import actor_uri_of, follower_inboxes
from glimpse.graph.visibility import account_visible


def account_move(*, user: User, target: str, password: str) -> User:
    """Move a local account to the account ``target`` names, after its password; return it.

    The new account must list this one as an alias. This account is marked moved (it no
    longer posts), its followers here follow the new account, and the servers of its
    followers elsewhere get a ``Move`` and do the same for theirs.
    """
    if not user.check_password(password):
        raise InvalidInput(fields={"password": ["This is not your password."]})
    move_cooldown_check(user=user)
    new = account_find(address=target, field="target", refresh=True)
    _target_check(user, new)
    with transaction.atomic():
        locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        move_cooldown_check(user=locked)  # again, now that a move at the same time waited
        account_move_record(user=locked, target=new)
        move = move_of(actor=actor_id(user.username), target=actor_uri_of(new))
        deliver_activity(activity=move, actor=locked, inboxes=follower_inboxes(locked))
        enqueue_on_commit(federation_followers_move, user.pk, new.pk)
    user.refresh_from_db(fields=["moved_to", "moved_at"])
    return new


def move_cooldown_check(*, user: User) -> None:
    """Refuse a move within ``MOVE_COOLDOWN`` of the account's last one."""
    if user.moved_at is None:
        return
    again = user.moved_at + MOVE_COOLDOWN
    if timezone.now() < again:
        raise Conflict(
            f"This account moved recently. You can move it again from "
            f"{date_format(again, 'DATE_FORMAT')}.",
            code="moved_recently",
        )


def _target_check(user: User, new: User) -> None:
    """Refuse a new account that is this one, cannot be moved to, or does not list this one."""
    if new.pk == user.pk:
        raise InvalidInput(fields={"target": ["That is this account. Give your new account."]})
    if not account_visible(user, new):
        raise InvalidInput(fields={"target": ["No account you can see answers to this handle."]})
    if new.moved_to_id is not None:
        raise InvalidInput(
            fields={"target": ["That account has moved too. Give the account it moved to."]}
        )
    if actor_id(user.username) not in also_known_as(account=new):
        raise InvalidInput(
            fields={
                "target": [
                    f"Add {handle_of(user)} as an alias on your new account first, then try again."
                ]
            }
        )
