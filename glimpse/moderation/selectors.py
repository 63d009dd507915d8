"""Every read of moderation: the queue, one case with its target and reports, the audit log.

Only moderators read these; the views check the role before calling them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet

from glimpse.core.errors import NotFound
from glimpse.media.models import MediaItem
from glimpse.media.selectors import media_renditions
from glimpse.messages.models import MessageMedia
from glimpse.messages.selectors import message_context
from glimpse.moderation.models import Case, ModerationAction, Reason, Report, TargetType
from glimpse.moderation.reported import Target, target_load
from glimpse.moderation.services import MISSING_CASE
from glimpse.posts.models import PostItem

QUEUE_SIZE = 50


@dataclass
class QueueRow:
    """One target waiting in the queue, with its report count and reasons."""

    case: Case
    reasons: list[tuple[str, int]]


@dataclass(frozen=True)
class ContextMessage:
    """A reported direct message or one of its neighbours, as the case's page lists it."""

    id: int
    sender: str  # the sender's username
    kind: str
    text: str
    shared_kind: str
    media_count: int
    created_at: datetime
    edited_at: datetime | None
    reported: bool


@dataclass
class CaseView:
    """One case as its page shows it: the target with its context, reports and actions."""

    case: Case
    target: Target | None
    reports: list[Report]
    actions: list[ModerationAction]
    pictures: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)


def queue_open(*, limit: int = QUEUE_SIZE) -> list[QueueRow]:
    """Return the cases waiting for a moderator, hidden ones first, then the latest (2 queries)."""
    cases = list(
        Case.objects.exclude(state=Case.State.RESOLVED)
        .select_related("account")
        .order_by("-state", "-updated_at")[:limit]  # "open" < "hidden": hidden first
    )
    counted: dict[int, Counter[str]] = {case.pk: Counter() for case in cases}
    for case_id, reason in Report.objects.filter(case__in=cases).values_list("case_id", "reason"):
        counted[case_id][reason] += 1
    labels = dict(Reason.choices)
    return [
        QueueRow(case, [(labels[r], n) for r, n in counted[case.pk].most_common()])
        for case in cases
    ]


def case_get(*, case_id: int) -> CaseView:
    """Return one case with its target (None once removed), its reports and its log."""
    case = Case.objects.select_related("account").filter(pk=case_id).first()
    if case is None:
        raise NotFound(MISSING_CASE)
    target = target_load(target_type=case.target_type, target_id=case.target_id)
    view = CaseView(
        case=case,
        target=target,
        reports=list(case.reports.select_related("reporter").order_by("-created_at")),
        actions=list(audit_log().filter(case=case)),
    )
    if target is not None:
        view.pictures, view.context = _context(target)
    return view


def audit_log() -> QuerySet[ModerationAction]:
    """Return the audit log, latest first."""
    return ModerationAction.objects.select_related("moderator", "account").order_by("-created_at")


def _context(target: Target) -> tuple[list[str], dict[str, Any]]:
    """Return the pictures of a target and what surrounds it (a comment's post, a message's
    neighbours)."""
    if target.type == TargetType.POST:
        items = (
            PostItem.objects.filter(post=target.obj).select_related("media").order_by("position")
        )
        return [url for item in items if (url := _picture(item.media))], {}
    if target.type == TargetType.COMMENT:
        post = target.obj.post
        first = PostItem.objects.filter(post=post, position=0).select_related("media").first()
        url = _picture(first.media) if first is not None else None
        return ([url] if url else []), {"post": post}
    if target.type == TargetType.STORY:
        url = _picture(target.obj.media)
        return ([url] if url else []), {}
    if target.type == TargetType.MESSAGE:
        return _message_context(target.id)
    return [], {}


def _message_context(message_id: int) -> tuple[list[str], dict[str, Any]]:
    """Return a reported message's pictures and its neighbours in its conversation (up to 5
    before and after, oldest first): nothing else of the conversation is shown."""
    rows = message_context(message_id=message_id)
    counts = dict(
        MessageMedia.objects.filter(message__in=rows)
        .values("message_id")
        .annotate(count=Count("pk"))
        .values_list("message_id", "count")
    )
    listed = [
        ContextMessage(
            id=row.pk,
            sender=row.sender.username,
            kind=row.kind,
            text=row.text,
            shared_kind=row.shared_kind,
            media_count=counts.get(row.pk, 0),
            created_at=row.created_at,
            edited_at=row.edited_at,
            reported=row.pk == message_id,
        )
        for row in rows
    ]
    attached = (
        MessageMedia.objects.filter(message_id=message_id)
        .select_related("media")
        .order_by("position")
    )
    pictures = [url for row in attached if (url := _picture(row.media))]
    return pictures, {"messages": listed}


def _picture(media: MediaItem) -> str | None:
    """Return the URL of a medium-sized picture of a media item to judge it by."""
    pictures = {
        r["name"].removeprefix("poster-"): r["url"]
        for r in media_renditions(media)
        if r["format"] != "mp4"
    }
    for name in ("640", "1080", "320", "thumb"):
        if name in pictures:
            return str(pictures[name])
    return None
