"""What every app's admin shares."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that shows rows and never writes them."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: rows are created by the services."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: rows are changed by the services."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: deleting here would leave the counters wrong."""
        return False
