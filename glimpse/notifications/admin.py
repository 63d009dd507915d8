"""Notifications in the admin: read-only, for looking into what an account was told."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from glimpse.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ("id", "recipient", "kind", "actor_count", "is_read", "updated_at")
    list_filter = ("kind", "is_read")
    search_fields = ("recipient__username",)
    raw_id_fields = ("recipient", "post", "comment")
    ordering = ("-sort_id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Refuse: notifications are made by the services only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: notifications are made by the services only."""
        return False
