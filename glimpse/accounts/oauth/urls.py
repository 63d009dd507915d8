"""The OAuth 2 endpoints, at the paths Mastodon's apps expect them."""

from django.urls import path

from glimpse.accounts.oauth import views

app_name = "oauth"

urlpatterns = [
    path("oauth/authorize", views.AuthorizeView.as_view(), name="authorize"),
    path("oauth/token", views.GlimpseTokenView.as_view(), name="token"),
    path("oauth/revoke", views.GlimpseRevokeTokenView.as_view(), name="revoke"),
    path(
        ".well-known/oauth-authorization-server",
        views.authorization_server_metadata,
        name="metadata",
    ),
]
