"""``POST /api/v1/reports``: an account reports another, or some of its statuses, to the
moderators.

Glimpse files a report per thing reported: the account when no status is named, else each
post or comment named (all or nothing). They reach the moderation queue as any report does.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.graph import selectors as graph_selectors
from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.entities.reports import CATEGORY_REASONS, report_entity
from glimpse.mastodon.errors import record_id
from glimpse.mastodon.params import request_fields
from glimpse.mastodon.schemas import ReportIn
from glimpse.moderation import services as moderation_services

router = Router(tags=["reports"])


@router.post("/reports", auth=TokenAuth("write:reports"))
def report_create(request: HttpRequest) -> dict[str, Any]:
    """Report an account, or statuses of it; answer the Report."""
    reporter = request_account(request)
    data = ReportIn.model_validate(request_fields(request))
    asked = data.status_ids if isinstance(data.status_ids, list) else [data.status_ids]
    account = graph_selectors.account_get_by_id(
        viewer=reporter, account_id=record_id(data.account_id)
    )
    reports = moderation_services.account_report_create(
        reporter=reporter,
        account_id=account.pk,
        content_ids=[record_id(status_id) for status_id in asked],
        reason=CATEGORY_REASONS[data.category],
        note=data.comment,
        forward=data.forward,
    )
    return report_entity(reports, account)
