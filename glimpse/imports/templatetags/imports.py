"""Imports' section of the account settings page: upload an archive, follow it, its report."""

from __future__ import annotations

from django import template
from django.template import Context

from glimpse.accounts.viewers import request_viewer
from glimpse.imports.selectors import archive_import_panel

register = template.Library()


@register.inclusion_tag("imports/partials/settings.html", takes_context=True)
def imports_settings(context: Context) -> dict[str, object]:
    """Render the import panel, with the reason an upload was refused when it was."""
    return {
        "import_error": context.get("import_error"),
        **archive_import_panel(viewer=request_viewer(context["request"])),
    }
