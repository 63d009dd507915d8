"""Send reports of another server's account to its moderators, and file theirs here."""

from __future__ import annotations

from collections.abc import Sequence

from glimpse.accounts.models import User
from glimpse.federation.delivery.services import deliver_activity
from glimpse.federation.objects import comment_uri, post_uri
from glimpse.federation.recipients import actor_uri_of, inbox_of
from glimpse.federation.reports.activities import flag_of
from glimpse.moderation.models import Reason, Report, TargetType
from glimpse.moderation.services import NOTE_MAX, account_report_create


def reports_forward(*, report_ids: Sequence[int]) -> None:
    """Send reports of one account of another server, as one ``Flag``, to its server."""
    reports = list(Report.objects.select_related("case__account").filter(pk__in=report_ids))
    account = next((r.case.account for r in reports if r.case.account is not None), None)
    if account is None or not account.is_remote:
        return  # the account was deleted since, or is this server's
    inbox = inbox_of(account)
    if inbox is None:
        return
    objects = [actor_uri_of(account)]
    for report in sorted(reports, key=lambda r: r.pk):
        if report.target_type == TargetType.POST:
            objects.append(post_uri(report.target_id))
        elif report.target_type == TargetType.COMMENT:
            objects.append(comment_uri(report.target_id))
    note = next((r.note for r in reports if r.note), "")
    flag = flag_of(report_id=min(report_ids), objects=objects, content=note)
    deliver_activity(activity=flag, actor=None, inboxes=[inbox])


def remote_report_file(
    *, reporter: User, account: User, content_ids: Sequence[int], comment: str
) -> None:
    """File another server's report of a local account (or its content) in the queue."""
    host = reporter.username.rsplit("@", 1)[-1]
    prefix = f"Sent from {host}'s moderators. "
    note = (prefix + comment)[:NOTE_MAX] if comment else prefix.strip()
    account_report_create(
        reporter=reporter,
        account_id=account.pk,
        content_ids=content_ids,
        reason=Reason.OTHER,
        note=note,
    )
