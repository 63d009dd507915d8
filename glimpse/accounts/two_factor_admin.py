"""Second factors in the admin: seen, never edited; staff can only turn them off for an owner.

The secrets stay out: an app's sealed secret and a passkey's key are not shown, and rows are
neither added nor changed here. The one action goes through ``two_factor_reset``, which
emails the owner.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from glimpse.accounts.models import Passkey, TotpDevice, User
from glimpse.accounts.services.two_factor import two_factor_reset
from glimpse.accounts.viewers import request_viewer


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Lists rows and lets staff turn their owners' two-factor sign-in off; nothing else."""

    actions = ["turn_off"]
    raw_id_fields = ("user",)
    search_fields = ("user__username",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Refuse: second factors are set up by their owners only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: second factors are never edited by hand."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Refuse: the action below removes them the way the owner would."""
        return False

    @admin.action(description="Turn off two-factor sign-in for these accounts")
    def turn_off(self, request: HttpRequest, queryset: QuerySet[TotpDevice | Passkey]) -> None:
        """Turn two-factor sign-in off for the owners of the selected rows."""
        owners = User.objects.filter(pk__in=queryset.values("user_id"))
        acting = request_viewer(request)
        done = sum(two_factor_reset(user=owner, acting=acting) for owner in owners)
        messages.success(request, f"Two-factor sign-in is off for {done} account(s).")


@admin.register(TotpDevice)
class TotpDeviceAdmin(_ReadOnly):
    list_display = ("user", "created_at", "confirmed_at")
    fields = ("user", "created_at", "confirmed_at")


@admin.register(Passkey)
class PasskeyAdmin(_ReadOnly):
    list_display = ("name", "user", "created_at", "last_used_at")
    fields = ("name", "user", "created_at", "last_used_at", "sign_count")
