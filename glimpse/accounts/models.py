"""Accounts: the user with their public profile, second factors, personal API tokens, and
OAuth apps."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from glimpse.core.models import SnowflakeModel

# ``username__lower=name.lower()`` compares through the expression the case-blind unique
# index is made of, so PostgreSQL finds an account by that index; ``username__iexact``
# compares UPPER() of both sides and reads every account.
models.CharField.register_lookup(Lower)


class UserManager(BaseUserManager["User"]):
    """Create users; sign-up itself goes through ``accounts.services.account_create``."""

    use_in_migrations = True

    def create_user(
        self, username: str, email: str, password: str | None = None, **extra: object
    ) -> User:
        """Create a user with a hashed password (used by the admin and tests)."""
        user = self.model(username=username.lower(), email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, email: str, password: str | None = None, **extra: object
    ) -> User:
        """Create a staff superuser."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, email, password, **extra)


class User(SnowflakeModel, AbstractBaseUser, PermissionsMixin):
    """A Glimpse account and its public profile."""

    # Local usernames have GLIMPSE_USERNAME_MAX characters at most (validators.py); the column
    # is wider for accounts of other servers, named ``name@host`` (federation).
    username = models.CharField(max_length=330, unique=True)
    # The host of another server's account (the part of ``name@host`` after "@", without a
    # port), "" for a local one: a column, so that domain blocks are one indexed comparison
    # instead of a suffix match on every username.
    domain = models.CharField(max_length=255, blank=True, default="", db_index=True)
    email = models.EmailField(max_length=254)
    display_name = models.CharField(max_length=64, blank=True)
    bio = models.CharField(max_length=150, blank=True)
    website = models.URLField(max_length=200, blank=True)
    is_private = models.BooleanField(default=False)
    # Avatar files live at avatars/<id>/<avatar_version>-<size>.webp; empty means none.
    avatar_version = models.CharField(max_length=16, blank=True)
    # Accounts of other servers only: their page on their own server, and the address the
    # avatar was last fetched from (so that an unchanged picture is not fetched again).
    remote_url = models.URLField(max_length=2048, blank=True)
    avatar_source = models.URLField(max_length=2048, blank=True)
    follower_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    # Derived from the three states below by ``account_activity_refresh``, never set by hand:
    # an inactive account cannot log in or use tokens, and the visibility policy hides it.
    is_active = models.BooleanField(default=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    banned_at = models.DateTimeField(null=True, blank=True)
    deletion_requested_at = models.DateTimeField(null=True, blank=True)
    # The account this one moved to (federation decides when; see docs/federation.md,
    # "Moving accounts"), and when: a moved account no longer posts.
    moved_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_at = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        """Return the name to show: the display name, or the username."""
        return self.display_name or self.username

    @property
    def is_remote(self) -> bool:
        """Tell whether the account belongs to another server (its username is name@host).

        Sign-up refuses "@" in a username, so only another server's account has one.
        """
        return "@" in self.username

    @property
    def remote_host(self) -> str:
        """Return the host (with its port) of an account of another server, else ""."""
        _, _, host = self.username.partition("@")
        return host.partition("~")[0]


def domain_of(username: str) -> str:
    """Return the host of a ``name@host[:port]`` username, lowercased; "" for a local name."""
    if "@" not in username:
        return ""
    host = username.rsplit("@", 1)[1].split("~", 1)[0]
    return host.rsplit(":", 1)[0].lower() if ":" in host else host.lower()


class TotpDevice(SnowflakeModel):
    """An account's authenticator app: its sealed secret and the last step it used.

    The row is made when setup starts and counts only once ``confirmed_at`` is set, after the
    owner typed a first code from the app.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    sealed_secret = models.TextField()  # accounts.sealing: never stored in clear
    # The newest 30-second step a code was accepted for: older and equal steps are refused.
    last_step = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"authenticator app of {self.user_id}"


class RecoveryCode(SnowflakeModel):
    """A single-use code that stands in for the second factor; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "digest"], name="accounts_recovery_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class Passkey(SnowflakeModel):
    """A WebAuthn credential an account registered as a second factor."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(max_length=64)
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url, as browsers send
    public_key = models.BinaryField()  # COSE-encoded
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class ApiToken(SnowflakeModel):
    """A personal API token; only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=64)
    # The first characters of the token, shown in settings so people can tell tokens apart.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """Tell whether the token can still be used."""
        return self.revoked_at is None


class OAuthApp(SnowflakeModel):
    """What Glimpse keeps about an OAuth client beside the provider's own record of it.

    The provider (django-oauth-toolkit) owns the client id, secret and redirect URIs; the
    Mastodon client API also names the app's website and the scopes it registered, which
    bound what it may ask an account for.
    """

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="glimpse_app"
    )
    website = models.URLField(max_length=200, blank=True)
    # Space-separated, as OAuth writes scopes.
    scopes = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.application_id)

    @property
    def scope_list(self) -> list[str]:
        """Return the registered scopes as a list."""
        return self.scopes.split()
