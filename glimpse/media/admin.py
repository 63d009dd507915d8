"""The admin of media: the blocklist of removed images (rows are added by the services)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from glimpse.core.admin import ReadOnlyAdmin
from glimpse.media.models import MediaBlock


@admin.register(MediaBlock)
class MediaBlockAdmin(ReadOnlyAdmin[MediaBlock]):
    list_display = ("id", "phash", "source", "created_at")
    search_fields = ("phash", "source")

    def has_delete_permission(self, request: HttpRequest, obj: MediaBlock | None = None) -> bool:
        """Allow taking a wrongly blocked image off the list (nothing else depends on it)."""
        return super(ReadOnlyAdmin, self).has_delete_permission(request, obj)
