"""Privacy's sections of the account settings page: download your data, delete the account."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template import Context

from glimpse.accounts.forms import AccountDeleteForm
from glimpse.accounts.viewers import request_viewer
from glimpse.privacy.selectors import data_export_panel

register = template.Library()


@register.inclusion_tag("privacy/partials/settings.html", takes_context=True)
def privacy_settings(context: Context) -> dict[str, object]:
    """Render the data archive panel and the deletion form, with its errors when refused."""
    viewer = request_viewer(context["request"])
    return {
        "user": viewer,
        "delete_form": context.get("delete_form") or AccountDeleteForm(),
        "deletion_grace_days": settings.GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS,
        **data_export_panel(viewer=viewer),
    }
