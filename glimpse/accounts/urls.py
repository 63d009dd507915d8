"""Web pages of accounts, under the ``accounts`` namespace.

The home page and public profiles live at the root without a namespace ("home" at ``""``,
"profile" at ``"<username>/"``, last of all): config/urls.py routes them to
``views.home`` and ``glimpse.web.views.profile``. It also adds privacy's
"account_delete" to this namespace, beside the other settings.
"""

from django.urls import path

from glimpse.accounts import views
from glimpse.accounts.two_factor_urls import two_factor_urlpatterns

app_name = "accounts"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password-reset/", views.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    # The password-reset email service reverses this one: keep its name and shape.
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("accounts/edit/", views.profile_edit, name="profile_edit"),
    path("accounts/edit/avatar/", views.avatar_upload, name="avatar_upload"),
    path("accounts/edit/avatar/remove/", views.avatar_remove, name="avatar_remove"),
    path("accounts/settings/", views.settings_view, name="settings"),
    path("accounts/settings/password/", views.password_change, name="password_change"),
    path("accounts/settings/tokens/", views.token_create, name="token_create"),
    path(
        "accounts/settings/tokens/<int:token_id>/revoke/",
        views.token_revoke,
        name="token_revoke",
    ),
    path(
        "accounts/settings/apps/<int:application_id>/revoke/",
        views.authorised_app_revoke,
        name="authorised_app_revoke",
    ),
    *two_factor_urlpatterns,
]
