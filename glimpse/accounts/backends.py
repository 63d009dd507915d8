"""Log in with a username or an email address, in any letter case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from glimpse.accounts import logins
from glimpse.accounts.models import User
from glimpse.accounts.two_factor_selectors import two_factor_enabled
from glimpse.core.errors import RateLimited
from glimpse.core.throttle import address_identity


class UsernameOrEmailBackend(ModelBackend):
    """Find the account as every log-in form does, counting failures, then check it may log in."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        """Return the active account these credentials open, or None."""
        if not username or password is None:
            return None
        address = address_identity(request) if request is not None else "unknown"
        try:
            user = logins.login_check(login=username, password=password, address=address)
        except RateLimited as refused:
            # Stops Django from asking any other backend: this caller must wait.
            raise PermissionDenied(refused.message) from refused
        if user is not None and self.user_can_authenticate(user):
            # A password alone never opens an account with a second factor, whatever asks
            # Django to authenticate (an OAuth password grant, a test client): the site's
            # log-in and the API ask for the second factor themselves.
            return None if two_factor_enabled(user=user) else user
        return None
