"""The admin for accounts and their API tokens."""

from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models

from glimpse.accounts import logins
from glimpse.accounts.models import ApiToken, User
from glimpse.core.errors import RateLimited
from glimpse.core.throttle import address_identity
from glimpse.core.web import wait_text


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's log-in, counting failures like every other log-in form."""

    def clean(self) -> dict[str, Any]:
        """Check the credentials through the shared limiter, then that the account is staff."""
        login = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if login is not None and password and self.request is not None:
            try:
                user = logins.login_check(
                    login=login, password=password, address=address_identity(self.request)
                )
            except RateLimited as refused:
                wait = wait_text(refused.retry_after)
                raise ValidationError(
                    f"Too many attempts. Try again in {wait}.", code="rate_limited"
                ) from refused
            if user is None or not user.is_active:
                raise self.get_invalid_login_error()
            self.user_cache = user
            self.confirm_login_allowed(user)
        return self.cleaned_data


admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ("username", "email", "display_name", "is_private", "is_active", "is_staff")
    list_filter = ("is_private", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "email", "display_name")
    ordering = ("-id",)
    readonly_fields = ("id", "date_joined", "last_login", "avatar_version")
    formfield_overrides: ClassVar = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("id", "username", "email", "password")}),
        ("Profile", {"fields": ("display_name", "bio", "website", "is_private", "avatar_version")}),
        ("Counts", {"fields": ("follower_count", "following_count", "post_count")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    raw_id_fields = ("user",)
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")


# Registered in a module of their own; imported here so that the admin finds them.
from glimpse.accounts import two_factor_admin  # noqa: E402, F401
