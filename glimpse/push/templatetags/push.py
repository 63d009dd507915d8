"""The push section of the notification settings: this device's switch, and the devices."""

from __future__ import annotations

from django import template
from django.template import Context
from django.urls import reverse

from glimpse.accounts.viewers import request_viewer
from glimpse.push import selectors
from glimpse.push.keys import server_key

register = template.Library()


@register.inclusion_tag("push/settings.html", takes_context=True)
def push_settings(context: Context) -> dict[str, object]:
    """Render the switch for this browser and the list of the viewer's devices."""
    devices = selectors.push_subscriptions_of(user=request_viewer(context["request"]))
    return {
        "devices": devices,
        # push.js tells whether this browser is one of them by its endpoint.
        "endpoints": [device.endpoint for device in devices],
        "public_key": server_key().public_key,
        "subscriptions_api": reverse("api:push_subscribe"),
        "unsubscribe_api": reverse("api:push_unsubscribe_endpoint"),
        "csrf_token": context.get("csrf_token"),
    }
