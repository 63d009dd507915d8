"""Every write to accounts: sign-up and log-in, profiles, passwords, tokens, standing, and the
accounts of other servers."""

from glimpse.accounts.services.access import (
    LogIn,
    account_authenticate,
    account_create,
    account_deletion_cancel,
    signup_problems,
    signup_throttle,
)
from glimpse.accounts.services.moves import account_move_record, account_publish_check
from glimpse.accounts.services.passwords import (
    password_change,
    password_reset_confirm,
    password_reset_link_check,
    password_reset_request,
)
from glimpse.accounts.services.profiles import (
    avatar_remove,
    avatar_set,
    profile_update,
)
from glimpse.accounts.services.remote import (
    remote_account_create,
    remote_account_rename,
    remote_account_update,
    remote_avatar_clear,
    remote_avatar_set,
)
from glimpse.accounts.services.standing import (
    account_activity_refresh,
    account_ban,
    account_suspend,
    account_suspension_lift,
    account_suspensions_end,
)
from glimpse.accounts.services.tokens import (
    token_create,
    token_revoke,
    token_touch,
)
from glimpse.accounts.services.two_factor import second_factor_check

__all__ = [
    "LogIn",
    "account_activity_refresh",
    "account_authenticate",
    "account_ban",
    "account_create",
    "account_deletion_cancel",
    "account_move_record",
    "account_publish_check",
    "account_suspend",
    "account_suspension_lift",
    "account_suspensions_end",
    "avatar_remove",
    "avatar_set",
    "password_change",
    "password_reset_confirm",
    "password_reset_link_check",
    "password_reset_request",
    "profile_update",
    "remote_account_create",
    "remote_account_rename",
    "remote_account_update",
    "remote_avatar_clear",
    "remote_avatar_set",
    "second_factor_check",
    "signup_problems",
    "signup_throttle",
    "token_create",
    "token_revoke",
    "token_touch",
]
