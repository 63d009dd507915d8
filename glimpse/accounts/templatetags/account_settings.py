"""The account's own sections of the settings page: password, API tokens, authorised apps.

Each section reads what the answering view bound (a refused form, a new token) from the page's
context and makes the rest itself, so that any app's view can answer with the whole page.
"""

from __future__ import annotations

from django import template
from django.template import Context
from django.urls import reverse

from glimpse.accounts import selectors
from glimpse.accounts.forms import PasswordChangeForm, TokenCreateForm
from glimpse.accounts.oauth import selectors as oauth_selectors
from glimpse.accounts.viewers import request_viewer

register = template.Library()


@register.inclusion_tag("accounts/partials/password_settings.html", takes_context=True)
def password_settings(context: Context) -> dict[str, object]:
    """Render the change-password form, with its errors when the page answers it."""
    return {
        "user": request_viewer(context["request"]),
        "password_form": context.get("password_form") or PasswordChangeForm(),
    }


@register.inclusion_tag("accounts/partials/token_settings.html", takes_context=True)
def token_settings(context: Context) -> dict[str, object]:
    """Render the viewer's API tokens, the one just made with its secret, and the form."""
    return {
        "tokens": list(selectors.token_list(user=request_viewer(context["request"]))),
        "token_form": context.get("token_form") or TokenCreateForm(),
        "new_token": context.get("new_token"),
        "new_secret": context.get("new_secret"),
        "api_docs_url": reverse("api:openapi-view"),
    }


@register.inclusion_tag("accounts/partials/app_settings.html", takes_context=True)
def app_settings(context: Context) -> dict[str, object]:
    """Render the apps the viewer authorised, each with its scopes and a Revoke button."""
    viewer = request_viewer(context["request"])
    return {"apps": oauth_selectors.authorised_app_list(user=viewer)}
