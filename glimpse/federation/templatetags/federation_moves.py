"""Federation's section of the account settings page: moving to or from another server."""

from __future__ import annotations

from django import template
from django.template import Context

from glimpse.accounts.viewers import request_viewer
from glimpse.federation.moves.selectors import move_state
from glimpse.federation.switch import federation_enabled

register = template.Library()


@register.inclusion_tag("federation/moves/settings_card.html", takes_context=True)
def move_settings_card(context: Context) -> dict[str, object]:
    """Render the link to the moving page, while the server federates."""
    if not federation_enabled():
        return {"shown": False}
    return {"shown": True, "state": move_state(user=request_viewer(context["request"]))}
