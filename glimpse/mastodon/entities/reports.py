"""Mastodon's Report, from the reports one client request made (one per post or comment
reported, or one for the account)."""

from __future__ import annotations

from typing import Any

from glimpse.accounts.models import User
from glimpse.mastodon.content import timestamp
from glimpse.mastodon.entities.accounts import account_entity
from glimpse.moderation.models import Reason, Report, TargetType

# Mastodon's categories and the reasons Glimpse files them under. Glimpse has no server
# rules and no reason of its own for illegal content: both go to "other", the note saying
# what the reporter saw.
CATEGORY_REASONS = {
    "spam": Reason.SPAM,
    "legal": Reason.OTHER,
    "violation": Reason.OTHER,
    "other": Reason.OTHER,
}


def report_entity(reports: list[Report], account: User) -> dict[str, Any]:
    """Return the reports of one request about an account as Mastodon's Report."""
    first = reports[0]
    content_ids = [
        str(report.target_id) for report in reports if report.target_type != TargetType.ACCOUNT
    ]
    return {
        "id": str(first.pk),
        "action_taken": False,
        "action_taken_at": None,
        "category": _category(first.reason),
        "comment": first.note,
        "forwarded": False,
        "created_at": timestamp(first.created_at),
        "status_ids": content_ids or None,
        "rule_ids": None,
        "target_account": account_entity(account),
    }


def _category(reason: str) -> str:
    if reason in (Reason.SPAM, Reason.OTHER):
        return reason
    # Glimpse's finer reasons (nudity, hate, ...) are what Mastodon files as rule violations.
    return "violation"
