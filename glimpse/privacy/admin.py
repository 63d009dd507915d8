"""A read-only admin for data exports (they are made and expired by the services)."""

from __future__ import annotations

from django.contrib import admin

from glimpse.core.admin import ReadOnlyAdmin
from glimpse.privacy.models import DataExport


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin[DataExport]):
    list_display = ("id", "user", "status", "progress", "created_at", "expires_at", "size_bytes")
    list_filter = ("status",)
    raw_id_fields = ("user",)
    search_fields = ("user__username",)
