"""The OAuth 2 endpoints: consent, token, revoke, and the server's metadata document.

django-oauth-toolkit runs the protocol; these views add Glimpse's pages (the consent page, the
code to copy for out-of-band apps), ``force_login``, and Mastodon's answers (``created_at``
in a token, ``{}`` for a revocation).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.views import AuthorizationView, RevokeTokenView, TokenView

from glimpse.accounts.oauth.scopes import SCOPES, scope_descriptions
from glimpse.accounts.oauth.services import OOB_REDIRECT_URI
from glimpse.accounts.oauth.validator import GRANT_TYPES
from glimpse.core.site import absolute_url, site_url

_TRUE = frozenset({"1", "true", "yes", "on"})


class AuthorizeView(AuthorizationView):
    """Ask the signed-in account whether an app may act for it, with the scopes it asks."""

    template_name = "accounts/oauth/authorize.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Honour ``force_login``: whoever is signed in logs in again before consenting."""
        if request.GET.get("force_login", "").lower() in _TRUE:
            if request.user.is_authenticated:
                logout(request)
            # Back here without the flag, or the log-in would be asked again forever.
            query = request.GET.copy()
            query.pop("force_login")
            return redirect_to_login(f"{request.path}?{query.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Add the app's website and the asked scopes in plain words."""
        context = super().get_context_data(**kwargs)
        application = context.get("application")
        details = getattr(application, "glimpse_app", None)
        context["website"] = details.website if details is not None else ""
        context["scope_lines"] = scope_descriptions(context.get("scopes") or ())
        return context

    def redirect(self, redirect_to: str, application: Any) -> HttpResponse:
        """Send the answer to the app: its own scheme, or a page to copy the code from."""
        if redirect_to.startswith(OOB_REDIRECT_URI):
            query = parse_qs(urlsplit(redirect_to).query)
            context = {
                "code": query.get("code", [""])[0],
                "error": query.get("error", [""])[0],
                "application": application,
            }
            response = render(self.request, "accounts/oauth/code.html", context)
            response["Cache-Control"] = "no-store"
            return response
        # Only an address the provider found among the app's registered ones is redirected
        # to (an unknown client or address is shown on the page instead, never followed), so
        # its scheme, an app's own such as com.example.app: included, is the app's.
        return OAuth2ResponseRedirect(redirect_to, [urlsplit(redirect_to).scheme])


class GlimpseTokenView(TokenView):
    """Issue tokens, in JSON with ``created_at`` as Mastodon's apps expect it."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Exchange a code, a refresh token or the app's own credentials for a token."""
        if request.content_type == "application/json":
            # Some apps send the token request as JSON; the provider reads form fields.
            try:
                data = json.loads(request.body or b"{}")
            except ValueError:
                return _oauth_error("invalid_request", "The body is not valid JSON.")
            if not isinstance(data, dict):
                return _oauth_error("invalid_request", "The body must be a JSON object.")
            form = QueryDict(mutable=True)
            form.update({str(key): str(value) for key, value in data.items() if value is not None})
            request.POST = form  # type: ignore[assignment]
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            body = json.loads(response.content)
            body.setdefault("created_at", int(timezone.now().timestamp()))
            response.content = json.dumps(body).encode()
        return response


class GlimpseRevokeTokenView(RevokeTokenView):
    """Revoke an access or refresh token; answer ``{}`` as Mastodon does."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Revoke the token named in the form, for the authenticated app."""
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200 and not response.content:
            return JsonResponse({})
        return response


@require_safe
def authorization_server_metadata(request: HttpRequest) -> JsonResponse:
    """Describe this authorization server (RFC 8414) so that apps find its endpoints."""
    return JsonResponse(
        {
            # The same value authorization responses carry as ``iss`` (RFC 9207).
            "issuer": site_url(),
            "authorization_endpoint": absolute_url(reverse("oauth:authorize")),
            "token_endpoint": absolute_url(reverse("oauth:token")),
            "revocation_endpoint": absolute_url(reverse("oauth:revoke")),
            "app_registration_endpoint": absolute_url("/api/v1/apps"),
            "scopes_supported": list(SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": list(GRANT_TYPES),
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
            ],
            "service_documentation": absolute_url(reverse("api:openapi-view")),
        }
    )


def _oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)
