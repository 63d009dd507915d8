"""Every write to notifications: created and undone after commit, grouped, read, preferences.

The subscribers to lower apps' events (``glimpse.notifications.subscribers``) and the
services of the apps above this one call ``notify_on_commit`` (or ``unnotify_on_commit``)
once per action, with an ``Activity``. Both queue the same job, ``notification_sync``,
which brings the notifications of that action in line with what exists now (the like, the
comment, the follow...): it is idempotent, and jobs that run late or out of order still
leave the right state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.cards import cards_forget_now_and_on_commit
from glimpse.core.errors import InvalidInput, NotFound
from glimpse.core.event_bus import publish
from glimpse.core.events import NotificationAdded
from glimpse.core.ids import next_id
from glimpse.core.jobs import enqueue_on_commit
from glimpse.graph.models import HiddenContent
from glimpse.graph.visibility import account_visible, relation
from glimpse.notifications import selectors
from glimpse.notifications.activity import Activity
from glimpse.notifications.badge import KEY as UNREAD_KEY
from glimpse.notifications.models import (
    NOTICE_KINDS,
    Kind,
    Level,
    Notification,
    NotificationActor,
    NotificationPreferences,
)
from glimpse.notifications.targets import Target, targets_of
from glimpse.realtime.sockets import publish_on_commit


def notify_on_commit(*, activity: Activity) -> None:
    """Queue the notifications of an action just done, for after commit."""
    _queue(activity, undo=False)


def unnotify_on_commit(*, activity: Activity) -> None:
    """Queue taking the actor out of the notifications of an action just undone.

    Called before deleting a comment, it also notes the unread counts of the accounts told
    of it (its notifications go with it), to tell those whose count changed after commit.
    """
    if activity.comment_id is not None and activity.kind == Kind.COMMENT:
        before = comment_unread_counts(comment_id=activity.comment_id)
        transaction.on_commit(lambda: unread_counts_publish(before=before))
        return
    _queue(activity, undo=True)


def comment_unread_counts(*, comment_id: int) -> dict[int, int]:
    """Return the unread counts of the accounts told of a comment or its replies, by id."""
    recipients = User.objects.filter(pk__in=selectors.recipients_of_comment(comment_id=comment_id))
    return {user.pk: selectors.unread_count(viewer=user) for user in recipients}


def notification_sync(*, activity: Activity, undo: bool) -> int:
    """Add the actor to (or take it out of) the notifications an action makes; count changes."""
    actor = User.objects.filter(pk=activity.actor_id).first()
    if actor is None or activity.kind not in Kind.values:
        return 0
    targets = targets_of(activity=activity, actor=actor, undo=undo)
    changed = 0
    for target in targets:
        who = (
            actor
            if target.actor_id in (None, actor.pk)
            else User.objects.filter(pk=target.actor_id).first()
        )
        if who is None:
            continue
        if target.present:
            changed += _add(target, who) if _may_notify(target, who) else 0
        else:
            changed += _remove(target, who)
    return changed


def notification_mark_read(*, recipient: User, notification_id: int) -> int:
    """Mark one of the recipient's notifications read; return the unread count."""
    with transaction.atomic():
        found = selectors.notifications_visible(viewer=recipient).filter(pk=notification_id)
        if not found.exists():
            raise NotFound(selectors.MISSING_NOTIFICATION)
        before = selectors.unread_count(viewer=recipient)
        Notification.objects.filter(pk=notification_id, is_read=False).update(is_read=True)
        return _publish_count(recipient, before=before)


def notifications_mark_all_read(*, recipient: User, upto: int | None = None) -> int:
    """Mark the recipient's notifications read; return the unread count.

    With ``upto`` (the ``cursor`` of the newest entry a page showed) only the entries last
    bumped at or before it are marked: what arrived after the page was made stays unread.
    """
    with transaction.atomic():
        before = selectors.unread_count(viewer=recipient)
        unread = Notification.objects.filter(recipient=recipient, is_read=False)
        if upto is not None:
            unread = unread.filter(sort_id__lte=upto)
        unread.update(is_read=True)
        return _publish_count(recipient, before=before)


def notifications_mark_read_through(*, recipient: User, actor_row_id: int) -> int:
    """Mark read the recipient's notifications whose every actor came at or before an
    actor row (the last one an app showed); return the unread count."""
    with transaction.atomic():
        before = selectors.unread_count(viewer=recipient)
        later = NotificationActor.objects.filter(notification=OuterRef("pk"), pk__gt=actor_row_id)
        Notification.objects.filter(recipient=recipient, is_read=False).exclude(
            Exists(later)
        ).update(is_read=True)
        return _publish_count(recipient, before=before)


def notifications_clear(*, recipient: User) -> int:
    """Delete every notification of the recipient (Mastodon's "clear"); return the unread
    count, now none."""
    with transaction.atomic():
        before = selectors.unread_count(viewer=recipient)
        Notification.objects.filter(recipient=recipient).delete()
        return _publish_count(recipient, before=before)


def notification_dismiss(*, recipient: User, notification_id: int) -> int:
    """Delete one of the recipient's visible notifications, every actor in it; return the
    unread count."""
    with transaction.atomic():
        found = selectors.notifications_visible(viewer=recipient).filter(pk=notification_id)
        if not found.exists():
            raise NotFound(selectors.MISSING_NOTIFICATION)
        before = selectors.unread_count(viewer=recipient)
        Notification.objects.filter(pk=notification_id).delete()
        return _publish_count(recipient, before=before)


def notification_actor_dismiss(*, recipient: User, actor_row_id: int) -> int:
    """Take one actor out of one of the recipient's visible notifications (deleting the
    notification with its last actor); return the unread count."""
    row = selectors.notification_actor_get(
        viewer=recipient, kinds=Kind.values, actor_row_id=actor_row_id
    )
    with transaction.atomic():
        entry = Notification.objects.select_for_update().filter(pk=row.notification_id).first()
        before = selectors.unread_count(viewer=recipient)
        deleted, _ = NotificationActor.objects.filter(pk=row.pk).delete()
        if entry is not None and deleted:
            if entry.actor_count <= 1:
                entry.delete()
            else:
                Notification.objects.filter(pk=entry.pk).update(actor_count=F("actor_count") - 1)
        return _publish_count(recipient, before=before)


def notification_preferences_update(*, user: User, levels: Mapping[str, str]) -> dict[str, str]:
    """Set the user's level (off, following, everyone) of some kinds; return all levels."""
    fields = {
        kind: [f"Choose one of: {', '.join(Level.values)}."]
        for kind, level in levels.items()
        if level not in Level.values
    }
    fields.update(
        {kind: ["No such kind of notification."] for kind in levels if kind not in Kind.values}
    )
    fields.update(
        {kind: ["This notice cannot be turned off."] for kind in levels if kind in NOTICE_KINDS}
    )
    if fields:
        raise InvalidInput(fields=fields)
    with transaction.atomic():
        prefs, _ = NotificationPreferences.objects.select_for_update().get_or_create(user=user)
        prefs.levels = {**prefs.levels, **levels}
        prefs.save(update_fields=["levels"])
    return selectors.preferences_get(user=user)


def notice_send(*, recipient_id: int, kind: str, key: str, text: str) -> None:
    """Tell an account something from the moderators or the site (no actor, whatever its
    preferences).

    Written in the caller's transaction and pushed after commit; ``key`` names the notice,
    so that sending it twice changes nothing.
    """
    if kind not in NOTICE_KINDS:
        raise ValueError(f"{kind} is not a notice")
    recipient = User.objects.get(pk=recipient_id)
    before = selectors.unread_count(viewer=recipient)
    entry, made = Notification.objects.get_or_create(
        recipient_id=recipient_id,
        group_key=f"{kind}:{key}",
        defaults={"kind": kind, "text": text[:300]},
    )
    if made:
        _publish(recipient, entry.pk, before=before)
        publish(NotificationAdded(recipient_id=recipient_id, notification_id=entry.pk))


def unread_counts_publish(*, before: Mapping[int, int]) -> None:
    """Tell these accounts their unread count if it changed from ``before`` (by account id).

    Called after a change made elsewhere (a deleted comment takes its notifications along).
    """
    for recipient in User.objects.filter(pk__in=list(before)):
        _publish_count(recipient, before=before[recipient.pk])


def unread_counts_forget(*, user_ids: Iterable[int]) -> None:
    """Drop these accounts' cached unread counts (``badge``): what they may see changed.

    Dropped now, so that the rest of the transaction reads the new count, and again once
    it commits, since a reader between the two may have counted the rows as they were.
    """
    cards_forget_now_and_on_commit(UNREAD_KEY, user_ids)


def content_unread_counts_forget(*, kind: str, target_id: int) -> None:
    """Drop the cached unread counts of the accounts told of a post or comment that was
    hidden or shown again (moderation); other kinds change no notification."""
    if kind == HiddenContent.Kind.POST:
        unread_counts_forget(user_ids=selectors.recipients_of_post(post_id=target_id))
    elif kind == HiddenContent.Kind.COMMENT:
        unread_counts_forget(user_ids=selectors.recipients_of_comment(comment_id=target_id))


# --- Helpers --------------------------------------------------------------------------------


def _queue(activity: Activity, *, undo: bool) -> None:
    # Imported here: the task module imports this one.
    from glimpse.notifications.tasks import notification_sync_job

    enqueue_on_commit(
        notification_sync_job,
        activity.kind,
        activity.actor_id,
        activity.recipient_id,
        activity.post_id,
        activity.comment_id,
        activity.story_id,
        activity.text,
        undo,
    )


def _may_notify(target: Target, actor: User) -> bool:
    """Tell whether the recipient wants to hear of this actor: no self, block, mute, or 'off'."""
    if target.recipient_id == actor.pk:
        return False
    recipient = User.objects.filter(pk=target.recipient_id, is_active=True).first()
    if recipient is None or not account_visible(recipient, actor):
        return False
    level = selectors.preferences_get(user=recipient)[target.kind]
    if level == Level.OFF:
        return False
    ties = relation(recipient, actor)
    if ties["muting"] or ties["blocking"]:
        return False
    return level == Level.EVERYONE or ties["following"]


def _add(target: Target, actor: User) -> int:
    """Add the actor to the target's entry (made if missing), bump it; 1 when it changed."""
    recipient = User.objects.get(pk=target.recipient_id)
    with transaction.atomic():
        before = selectors.unread_count(viewer=recipient)
        entry, _ = Notification.objects.select_for_update(no_key=True).get_or_create(
            recipient_id=target.recipient_id,
            group_key=target.group_key,
            defaults={
                "kind": target.kind,
                "post_id": target.post_id,
                "comment_id": target.comment_id,
                "story_id": target.story_id,
                "text": target.text,
            },
        )
        added = _insert_actor(entry, actor)
        if not added and entry.text == target.text:
            return 0  # already told: running the job again changes nothing
        Notification.objects.filter(pk=entry.pk).update(
            actor_count=F("actor_count") + (1 if added else 0),
            text=target.text,
            is_read=False,
            sort_id=next_id(),
            updated_at=timezone.now(),
        )
        _publish(recipient, entry.pk, before=before)
        # Told after commit to the apps above (push notifications), like the sockets.
        publish(NotificationAdded(recipient_id=recipient.pk, notification_id=entry.pk))
    return 1


def _remove(target: Target, actor: User) -> int:
    """Take the actor out of the target's entries, deleting the emptied ones; count them."""
    changed = 0
    rows = NotificationActor.objects.filter(
        notification__recipient_id=target.recipient_id, actor=actor
    )
    if target.group_key:
        rows = rows.filter(notification__group_key=target.group_key)
    else:
        rows = rows.filter(notification__kind=target.kind)
    entry_ids = list(rows.values_list("notification_id", flat=True))
    recipient = User.objects.filter(pk=target.recipient_id).first() if entry_ids else None
    if recipient is None:
        return 0
    for entry_id in entry_ids:
        with transaction.atomic():
            entry = Notification.objects.select_for_update().filter(pk=entry_id).first()
            if entry is None:
                continue
            before = selectors.unread_count(viewer=recipient)
            deleted, _ = NotificationActor.objects.filter(notification=entry, actor=actor).delete()
            if not deleted:
                continue
            if entry.actor_count <= 1:
                entry.delete()
                _publish(recipient, None, before=before)
            else:
                Notification.objects.filter(pk=entry.pk).update(actor_count=F("actor_count") - 1)
                _publish(recipient, entry.pk, before=before)
            changed += 1
    return changed


def _insert_actor(entry: Notification, actor: User) -> bool:
    try:
        with transaction.atomic():
            NotificationActor.objects.create(notification=entry, actor=actor)
    except IntegrityError:
        return False
    return True


def _publish(recipient: User, entry_id: int | None, *, before: int) -> None:
    """Send the recipient the changed entry if it may see it, and its unread count if that
    changed, once this commits: an entry it may not see sends nothing at all."""
    if entry_id is not None:
        shown = selectors.notification_event(viewer=recipient, notification_id=entry_id)
        if shown is not None:
            publish_on_commit(recipient.pk, "notification", shown)
    _publish_count(recipient, before=before)


def _publish_count(recipient: User, *, before: int) -> int:
    """Return the recipient's unread count; send it after commit only if it is not ``before``.

    A count sent when nothing visible changed would tell a stranger's socket of activity
    its list does not show (a private account mentioning it).
    """
    count = selectors.unread_count(viewer=recipient)
    # Even when the count looks the same: another write may have changed it between the two
    # counts (and dropped the cache before this one commits).
    unread_counts_forget(user_ids=[recipient.pk])
    if count != before:
        publish_on_commit(recipient.pk, "unread_count", {"count": count})
    return count
