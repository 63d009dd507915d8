"""Django's admin on Glimpse's terms: its log-in is the site's own, second step included.

The admin's log-in page sends people to the site's log-in with ``next`` set, so a staff
account with two-factor sign-in gives its second factor there, and failed attempts count
with every other log-in form's. When ``GLIMPSE_STAFF_REQUIRE_2FA`` is on, staff without a
second factor are sent to set one up before the admin lets them in.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from glimpse.accounts.two_factor_selectors import staff_may_use_admin
from glimpse.accounts.viewers import request_viewer_or_none

SETUP_NEEDED = (
    "The admin needs two-factor sign-in on staff accounts. Set up an authenticator app or a "
    "passkey here, then open the admin again."
)


class AdminSite(admin.AdminSite):
    """The admin site, with the site's log-in and its two-factor rule for staff."""

    def has_permission(self, request: HttpRequest) -> bool:
        """Tell whether the request's account is active staff that meets the two-factor rule."""
        user = request_viewer_or_none(request)
        return (
            super().has_permission(request) and user is not None and staff_may_use_admin(user=user)
        )

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Send the person to the site's log-in (or to set up a second factor) and back."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request_viewer_or_none(request)
        if user is not None and user.is_active and user.is_staff:
            if not staff_may_use_admin(user=user):
                messages.warning(request, SETUP_NEEDED)
                return redirect("accounts:two_factor")
            return redirect(next_url)
        if user is not None and request.method in ("GET", "HEAD"):
            # Signed in without staff rights: Django's page says so and offers another log-in.
            return super().login(request, extra_context)
        target = reverse("accounts:login") + "?" + urlencode({"next": next_url})
        return redirect(target)
