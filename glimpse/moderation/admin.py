"""The admin of moderation: cases and reports to read, and the audit log (read-only).
Actions go through the moderation pages, which log them; the role itself is the permission
"moderation | case | Can handle reports...", granted to a user or a group here. The media
blocklist is in the admin of media.
"""

from __future__ import annotations

from django.contrib import admin

from glimpse.core.admin import ReadOnlyAdmin
from glimpse.moderation.models import Case, ModerationAction, Report


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin[Case]):
    list_display = (
        "id",
        "target_type",
        "target_id",
        "account",
        "state",
        "report_count",
        "updated_at",
    )
    list_filter = ("state", "target_type")
    raw_id_fields = ("account",)
    search_fields = ("account__username", "target_id")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin[Report]):
    list_display = ("id", "target_type", "target_id", "reporter", "reason", "created_at")
    list_filter = ("reason", "target_type")
    raw_id_fields = ("reporter", "case")
    search_fields = ("reporter__username", "target_id")


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin[ModerationAction]):
    list_display = (
        "id",
        "action",
        "target_type",
        "target_id",
        "account",
        "moderator",
        "created_at",
    )
    list_filter = ("action", "target_type")
    raw_id_fields = ("moderator", "account", "case")
    search_fields = ("moderator__username", "account__username", "reason")
