"""What every app's admin shares."""

from __future__ import annotations

from typing import TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

_M = TypeVar("_M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    """An admin page that shows rows and never writes them."""

    def has_add_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        """Refuse: rows are created by the services."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        """Refuse: rows are changed by the services."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        """Refuse: deleting here would leave the counters wrong."""
        return False
