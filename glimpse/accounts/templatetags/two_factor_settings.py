"""The two-factor section of the settings page: its state and a link to manage it."""

from __future__ import annotations

from django import template
from django.template import Context

from glimpse.accounts.two_factor_selectors import two_factor_state
from glimpse.accounts.viewers import request_viewer

register = template.Library()


@register.inclusion_tag("accounts/partials/two_factor_settings.html", takes_context=True)
def two_factor_settings(context: Context) -> dict[str, object]:
    """Render whether two-factor sign-in is on, with a link to its page."""
    return {"state": two_factor_state(user=request_viewer(context["request"]))}
