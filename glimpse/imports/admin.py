"""A read-only admin for archive imports (they are made and run by the services)."""

from __future__ import annotations

from django.contrib import admin

from glimpse.core.admin import ReadOnlyAdmin
from glimpse.imports.models import ArchiveImport


@admin.register(ArchiveImport)
class ArchiveImportAdmin(ReadOnlyAdmin[ArchiveImport]):
    list_display = ("id", "user", "source", "status", "progress", "created_at", "finished_at")
    list_filter = ("status", "source")
    raw_id_fields = ("user",)
    search_fields = ("user__username",)
