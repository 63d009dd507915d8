"""Reporting in the API: ``POST reports``, and ``POST messages/{id}/report`` for a direct
message (the router is mounted at the root)."""

from __future__ import annotations

from typing import Literal, TypedDict

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.moderation import services
from glimpse.moderation.models import Report, TargetType
from glimpse.posts.schemas import Id

router = Router(tags=["moderation"], auth=api_auth)

TargetName = Literal["post", "comment", "story", "account", "message"]
ReasonName = Literal[
    "spam",
    "nudity",
    "violence",
    "harassment",
    "hate",
    "self_harm",
    "intellectual_property",
    "scam",
    "other",
]


class ReportIn(Schema):
    target_type: TargetName
    target_id: Id = Field(description="The id of the post, comment, story, account or message.")
    reason: ReasonName
    note: str = Field("", max_length=services.NOTE_MAX, description="Optional details.")
    forward: bool = Field(
        False,
        description="Also send the report, without your name, to the server of an account "
        "of another server.",
    )


class MessageReportIn(Schema):
    reason: ReasonName
    note: str = Field("", max_length=services.NOTE_MAX, description="Optional details.")


class ReportOut(Schema):
    id: str
    target_type: str
    target_id: str
    reason: str
    note: str


class ReportJson(TypedDict):
    id: str
    target_type: str
    target_id: str
    reason: str
    note: str


@router.post("/reports", response={201: ReportOut, **errors(401, 403, 404, 409, 422)})
def report_create(request: HttpRequest, payload: ReportIn) -> Status[ReportJson]:
    """Report something you may see; 409 if you already reported it, 403 for your own."""
    report = services.report_create(
        reporter=request_user(request),
        target_type=payload.target_type,
        target_id=payload.target_id,
        reason=payload.reason,
        note=payload.note,
        forward=payload.forward,
    )
    return Status(201, _report_json(report))


@router.post(
    "/messages/{message_id}/report", response={201: ReportOut, **errors(401, 403, 404, 409, 422)}
)
def message_report(
    request: HttpRequest, message_id: Id, payload: MessageReportIn
) -> Status[ReportJson]:
    """Report a message you may read to the moderators (they see it and its neighbours)."""
    report = services.report_create(
        reporter=request_user(request),
        target_type=TargetType.MESSAGE,
        target_id=message_id,
        reason=payload.reason,
        note=payload.note,
    )
    return Status(201, _report_json(report))


def _report_json(report: Report) -> ReportJson:
    return {
        "id": str(report.pk),
        "target_type": report.target_type,
        "target_id": str(report.target_id),
        "reason": report.reason,
        "note": report.note,
    }
