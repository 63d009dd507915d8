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

__all__ = [
    "authorised_app_revoke",
    "avatar_remove",
    "avatar_upload",
    "login_view",
    "logout_view",
    "password_change",
    "password_reset",
    "password_reset_complete",
    "password_reset_confirm",
    "password_reset_done",
    "profile_edit",
    "settings_view",
    "signup",
    "token_create",
    "token_revoke",
]
