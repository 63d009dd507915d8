"""The web forms of push on the settings page: drop one device, or every device.

Turning push on for this browser is done by push.js through the API (it needs the browser's
subscription, which only script can read); these forms work without script.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import NotFound
from glimpse.push import services


@login_required
@require_POST
def device_delete(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """Stop pushing to one of the viewer's devices."""
    try:
        services.push_subscription_delete(
            user=request_viewer(request), subscription_id=subscription_id
        )
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, "That device no longer gets your push notifications.")
    return redirect(reverse("accounts:settings") + "#push")


@login_required
@require_POST
def devices_delete_all(request: HttpRequest) -> HttpResponse:
    """Stop pushing to every device of the viewer."""
    count = services.push_subscriptions_delete_all(user=request_viewer(request))
    if count:
        messages.success(request, "Push notifications are off on all your devices.")
    return redirect(reverse("accounts:settings") + "#push")
