"""The log-in's second step and the two-factor settings, in the ``accounts`` namespace."""

from django.urls import path

from glimpse.accounts import views

two_factor_urlpatterns = [
    path("accounts/login/verify/", views.login_verify, name="login_verify"),
    path(
        "accounts/login/verify/passkey/options/",
        views.login_verify_passkey_options,
        name="login_verify_passkey_options",
    ),
    path("accounts/login/verify/passkey/", views.login_verify_passkey, name="login_verify_passkey"),
    path(
        "accounts/login/passkey/options/",
        views.passkey_login_options,
        name="passkey_login_options",
    ),
    path("accounts/login/passkey/", views.passkey_login, name="passkey_login"),
    path("accounts/settings/two-factor/", views.two_factor_view, name="two_factor"),
    path("accounts/settings/two-factor/app/", views.totp_setup, name="totp_setup"),
    path(
        "accounts/settings/two-factor/recovery-codes/",
        views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("accounts/settings/two-factor/off/", views.two_factor_disable, name="two_factor_disable"),
    path(
        "accounts/settings/two-factor/passkeys/options/",
        views.passkey_options,
        name="passkey_options",
    ),
    path("accounts/settings/two-factor/passkeys/", views.passkey_add, name="passkey_add"),
    path(
        "accounts/settings/two-factor/passkeys/<int:passkey_id>/remove/",
        views.passkey_remove,
        name="passkey_remove",
    ),
]
