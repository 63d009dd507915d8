"""Every write of moderation: reports, the threshold that hides content, moderators' actions.

Each action is written to the audit log in the transaction that does it; notices to the
author and closed sockets follow after commit. Moderation writes only its own rows: content
is hidden and removed, and accounts sanctioned, through the services of the apps that own
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services import account_ban, account_suspend, account_suspensions_end
from glimpse.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from glimpse.core.event_bus import publish
from glimpse.core.events import ReportsForwarded
from glimpse.graph.services import content_hide, content_unhide
from glimpse.moderation.models import Case, ModerationAction, Reason, Report, TargetType
from glimpse.moderation.removal import target_remove
from glimpse.moderation.reported import MISSING, Target, target_load, target_visible
from glimpse.moderation.roles import is_moderator
from glimpse.notifications.models import Kind as NoticeKind
from glimpse.notifications.services import content_unread_counts_forget, notice_send

NOTE_MAX = 1000
REASON_MAX = 1000
SUSPEND_DAYS_MAX = 365
HIDEABLE = frozenset({TargetType.POST, TargetType.COMMENT, TargetType.STORY})
UPHELD = (
    ModerationAction.Kind.REMOVE,
    ModerationAction.Kind.WARN,
    ModerationAction.Kind.SUSPEND,
    ModerationAction.Kind.BAN,
)
CONTENT_PER_REPORT_MAX = 40
MISSING_CASE = "No case with this id."
Action = ModerationAction.Kind


def report_create(
    *,
    reporter: User,
    target_type: str,
    target_id: int,
    reason: str,
    note: str = "",
    forward: bool = False,
) -> Report:
    """Report a post, comment, story, account or message the reporter may see; once per target.

    Enough distinct reporters in good standing within the window hide the content until a
    moderator looks; every report still reaches the queue. ``forward`` asks to send the
    report, without the reporter's name, to the server of an account of another server too.
    """
    fields: dict[str, list[str]] = {}
    if target_type not in TargetType.values:
        fields["target_type"] = [f"Choose one of: {', '.join(TargetType.values)}."]
    if reason not in Reason.values:
        fields["reason"] = [f"Choose one of: {', '.join(Reason.values)}."]
    note = note.strip()
    if len(note) > NOTE_MAX:
        fields["note"] = [f"A note has at most {NOTE_MAX} characters."]
    if fields:
        raise InvalidInput(fields=fields)
    with transaction.atomic():
        target = target_visible(viewer=reporter, target_type=target_type, target_id=target_id)
        if target.account is not None and target.account.pk == reporter.pk:
            raise PermissionDenied("You cannot report your own account or content.", code="own")
        case = _case_for(target)
        if Report.objects.filter(
            reporter=reporter, target_type=target_type, target_id=target_id
        ).exists():
            raise Conflict("You already reported this.", code="already_reported")
        report = Report.objects.create(
            case=case,
            reporter=reporter,
            target_type=target_type,
            target_id=target_id,
            reason=reason,
            note=note,
        )
        case.report_count += 1
        case.updated_at = timezone.now()
        if case.state == Case.State.RESOLVED:
            case.state = Case.State.OPEN  # new reports after a decision: look again
        if case.state == Case.State.OPEN and _over_threshold(case):
            case.state = Case.State.HIDDEN
            content_hide(kind=case.target_type, target_id=case.target_id)
            content_unread_counts_forget(kind=case.target_type, target_id=case.target_id)
        case.save(update_fields=["report_count", "updated_at", "state"])
        if forward:
            _forward([report], target.account)
    return report


def account_report_create(
    *,
    reporter: User,
    account_id: int,
    content_ids: Sequence[int],
    reason: str,
    note: str = "",
    forward: bool = False,
) -> list[Report]:
    """Report an account, or some of its posts and comments, at once: all or nothing.

    Each post or comment must be the account's, as the reporter may see it (else NotFound);
    one the reporter already reported is left as it was, and Conflict when all of them were.
    ``forward`` as for ``report_create``, in one report to the account's server.
    """
    wanted = list(dict.fromkeys(content_ids))
    if len(wanted) > CONTENT_PER_REPORT_MAX:
        limit = f"At most {CONTENT_PER_REPORT_MAX} posts and comments in one report."
        raise InvalidInput(fields={"content_ids": [limit]})
    with transaction.atomic():
        targets = (
            [_content_of(reporter, account_id, content_id) for content_id in wanted]
            if wanted
            else [(TargetType.ACCOUNT.value, account_id)]
        )
        reports = []
        for target_type, target_id in targets:
            try:
                reports.append(
                    report_create(
                        reporter=reporter,
                        target_type=target_type,
                        target_id=target_id,
                        reason=reason,
                        note=note,
                    )
                )
            except Conflict:
                continue  # reported before: the case already holds this reporter's report
        if not reports:
            raise Conflict("You already reported this.", code="already_reported")
        if forward:
            _forward(reports, User.objects.filter(pk=account_id).first())
        return reports


def _forward(reports: Sequence[Report], account: User | None) -> None:
    """Ask for reports to be sent to the server of the account they concern, if it is remote."""
    if account is not None and account.is_remote:
        publish(ReportsForwarded(report_ids=tuple(report.pk for report in reports)))


def case_act(
    *,
    moderator: User,
    case_id: int,
    action: str,
    reason: str,
    days: int | None = None,
) -> ModerationAction:
    """Take one action on a case (dismiss, remove, warn, suspend, ban), logged with who and why."""
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators can do this.", code="not_moderator")
    reason = reason.strip()
    _action_check(action=action, reason=reason, days=days)
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None:
            raise NotFound(MISSING_CASE)
        target = target_load(target_type=case.target_type, target_id=case.target_id)
        account = target.account if target is not None else case.account
        duration = timedelta(days=days) if action == Action.SUSPEND and days else None
        _action_possible(action=action, case=case, target=target, account=account, by=moderator)
        logged = ModerationAction.objects.create(
            moderator=moderator,
            case=case,
            action=action,
            target_type=case.target_type,
            target_id=case.target_id,
            account=account,
            reason=reason,
            duration=duration,
        )
        _action_apply(logged=logged, target=target, account=account, duration=duration)
        _case_resolve(case=case, action=action)
    return logged


def suspensions_end() -> int:
    """Make active again the accounts whose suspension has ended; return how many."""
    return account_suspensions_end()


# --- Helpers --------------------------------------------------------------------------------


def _case_for(target: Target) -> Case:
    """Return the target's case, locked (made on its first report)."""
    case, _ = Case.objects.select_for_update().get_or_create(
        target_type=target.type,
        target_id=target.id,
        defaults={"account": target.account, "excerpt": target.excerpt},
    )
    return case


def _content_of(reporter: User, account_id: int, content_id: int) -> tuple[str, int]:
    """Return the post or comment of the account with this id, as a target to report."""
    for target_type in (TargetType.POST, TargetType.COMMENT):
        try:
            target = target_visible(viewer=reporter, target_type=target_type, target_id=content_id)
        except NotFound:
            continue
        if target.account is not None and target.account.pk == account_id:
            return target_type, content_id
    raise NotFound(MISSING[TargetType.POST])


def _over_threshold(case: Case) -> bool:
    """Tell whether enough distinct accounts reported hideable content lately."""
    if case.target_type not in HIDEABLE:
        return False
    since = timezone.now() - timedelta(seconds=settings.GLIMPSE_MODERATION_HIDE_WINDOW)
    recent = Q(created_at__gte=since)
    if case.reviewed_at is not None:
        recent &= Q(created_at__gt=case.reviewed_at)  # a moderator's decision starts afresh
    counted = case.reports.filter(recent, _in_good_standing(path="reporter"))
    reporters = counted.values("reporter").distinct().count()
    return reporters >= settings.GLIMPSE_MODERATION_HIDE_REPORTS


def _in_good_standing(*, path: str) -> Q:
    """Return a filter keeping the accounts (at ``path``) whose reports count towards hiding.

    Active (so neither suspended nor banned), older than
    ``GLIMPSE_REPORT_MIN_ACCOUNT_AGE_DAYS``, and with no upheld moderator action (remove,
    warn, suspend, ban) against them within ``GLIMPSE_REPORT_STANDING_DAYS``: a handful of
    fresh or sanctioned accounts cannot hide someone else's content. Accounts of other servers
    never count: their reports reach the queue, but cannot hide anything by themselves.
    """
    now = timezone.now()
    joined_before = now - timedelta(days=settings.GLIMPSE_REPORT_MIN_ACCOUNT_AGE_DAYS)
    sanctioned = ModerationAction.objects.filter(
        action__in=UPHELD,
        created_at__gte=now - timedelta(days=settings.GLIMPSE_REPORT_STANDING_DAYS),
    ).values("account")
    return (
        Q(**{f"{path}__is_active": True})
        & Q(**{f"{path}__date_joined__lte": joined_before})
        & ~Q(**{f"{path}__in": sanctioned})
        # Accounts of other servers: a server can make as many as it likes.
        & ~Q(**{f"{path}__username__contains": "@"})
    )


def _action_check(*, action: str, reason: str, days: int | None) -> None:
    """Refuse an unknown action, a missing or long reason, or a suspension without its days."""
    fields: dict[str, list[str]] = {}
    if action not in Action.values:
        fields["action"] = [f"Choose one of: {', '.join(Action.values)}."]
    if not reason:
        fields["reason"] = ["Say why: the author is told, and the audit log keeps it."]
    elif len(reason) > REASON_MAX:
        fields["reason"] = [f"A reason has at most {REASON_MAX} characters."]
    if action == Action.SUSPEND and (days is None or not 1 <= days <= SUSPEND_DAYS_MAX):
        fields["days"] = [f"Suspend for 1 to {SUSPEND_DAYS_MAX} days."]
    if fields:
        raise InvalidInput(fields=fields)


def _action_possible(
    *, action: str, case: Case, target: Target | None, account: User | None, by: User
) -> None:
    """Refuse removing what is gone, and sanctioning a deleted account or the moderator's own."""
    if action == Action.REMOVE and (case.target_type == TargetType.ACCOUNT or target is None):
        raise Conflict("There is no content left to remove here.", code="nothing_to_remove")
    if action in (Action.WARN, Action.SUSPEND, Action.BAN):
        if account is None:
            raise Conflict("This account no longer exists.", code="no_account")
        if account.pk == by.pk:
            raise Conflict("You cannot act on your own account.", code="own_account")


def _action_apply(
    *,
    logged: ModerationAction,
    target: Target | None,
    account: User | None,
    duration: timedelta | None,
) -> None:
    """Do what the logged action says to the content or its account (dismissing does nothing)."""
    action = logged.action
    if action == Action.REMOVE and target is not None:
        _remove(target, logged)
    elif action == Action.WARN and account is not None:
        text = f"Warning from the moderators: {logged.reason}"
        _notice(account, NoticeKind.WARNING, logged, text)
    elif action == Action.SUSPEND and account is not None and duration is not None:
        account_suspend(user=account, until=timezone.now() + duration)
    elif action == Action.BAN and account is not None:
        account_ban(user=account)


def _case_resolve(*, case: Case, action: str) -> None:
    """Close the case with the decision taken."""
    if case.target_type in HIDEABLE:
        # Whatever the decision, a moderator looked: content hidden by reports shows again.
        content_unhide(kind=case.target_type, target_id=case.target_id)
        content_unread_counts_forget(kind=case.target_type, target_id=case.target_id)
    now = timezone.now()
    case.state, case.resolution = Case.State.RESOLVED, action
    case.reviewed_at = case.updated_at = now
    case.save(update_fields=["state", "resolution", "reviewed_at", "updated_at"])


def _remove(target: Target, logged: ModerationAction) -> None:
    """Delete the content, block its images and tell its author why."""
    target_remove(target=target, action_id=logged.pk)
    if target.account is not None:
        label = TargetType(target.type).label.lower()
        text = f"Your {label} was removed by the moderators: {logged.reason}"
        _notice(target.account, NoticeKind.CONTENT_REMOVED, logged, text)


def _notice(account: User, kind: str, logged: ModerationAction, text: str) -> None:
    notice_send(recipient_id=account.pk, kind=kind, key=str(logged.pk), text=text)
