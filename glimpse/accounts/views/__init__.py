"""Web pages of accounts: they parse a form, call one service or selector, and render."""

from glimpse.accounts.views.account_settings import (
    authorised_app_revoke,
    password_change,
    settings_view,
    token_create,
    token_revoke,
)
from glimpse.accounts.views.auth import (
    login_view,
    logout_view,
    password_reset,
    password_reset_complete,
    password_reset_confirm,
    password_reset_done,
    signup,
)
from glimpse.accounts.views.profile_edit import avatar_remove, avatar_upload, profile_edit
from glimpse.accounts.views.two_factor_login import (
    login_verify,
    login_verify_passkey,
    login_verify_passkey_options,
    passkey_login,
    passkey_login_options,
)
from glimpse.accounts.views.two_factor_settings import (
    passkey_add,
    passkey_options,
    passkey_remove,
    recovery_codes_regenerate,
    totp_setup,
    two_factor_disable,
    two_factor_view,
)

__all__ = [
    "authorised_app_revoke",
    "avatar_remove",
    "avatar_upload",
    "login_verify",
    "login_verify_passkey",
    "login_verify_passkey_options",
    "login_view",
    "logout_view",
    "passkey_add",
    "passkey_login",
    "passkey_login_options",
    "passkey_options",
    "passkey_remove",
    "password_change",
    "password_reset",
    "password_reset_complete",
    "password_reset_confirm",
    "password_reset_done",
    "profile_edit",
    "recovery_codes_regenerate",
    "settings_view",
    "signup",
    "token_create",
    "token_revoke",
    "totp_setup",
    "two_factor_disable",
    "two_factor_view",
]
