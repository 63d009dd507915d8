"""Web forms of accounts: they check the shape of input only; services apply the rules."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings

# Generous caps against absurd input; the real rules (length, strength) live in services.
_PASSWORD_MAX = 4096
_EMAIL_MAX = 254


def _password(autocomplete: str, label: str = "Password") -> forms.CharField:
    """Return a password field that is never echoed back into the page."""
    return forms.CharField(
        label=label,
        max_length=_PASSWORD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class SignupForm(forms.Form):
    """Sign up with a username, an email address and a password."""

    username = forms.CharField(
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
        help_text="Lowercase letters, digits, '.' and '_'.",
    )
    email = forms.CharField(
        label="Email",
        max_length=_EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = _password("new-password")

    def add_problems(self, found: dict[str, list[str]]) -> None:
        """Add the service's problems to the fields the form itself found nothing wrong with."""
        for field, errors in found.items():
            if field not in self.errors:
                for error in errors:
                    self.add_error(field, error)


class LoginForm(forms.Form):
    """Log in with a username or an email address, and a password."""

    login = forms.CharField(
        label="Username or email",
        max_length=_EMAIL_MAX,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    password = _password("current-password")


class PasswordResetRequestForm(forms.Form):
    """Ask for a password reset link by email."""

    email = forms.EmailField(
        label="Email",
        max_length=_EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class _NewPasswordMixin(forms.Form):
    """A new password typed twice; the two must match."""

    new_password = _password("new-password", "New password")
    new_password_again = _password("new-password", "New password, again")

    def clean(self) -> dict[str, Any]:
        """Check that both copies of the new password are the same."""
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password"), cleaned.get("new_password_again")
        if first and second and first != second:
            self.add_error("new_password_again", "The two passwords are not the same.")
        return cleaned


class SetPasswordForm(_NewPasswordMixin):
    """Choose a new password from a reset link."""


class PasswordChangeForm(_NewPasswordMixin):
    """Change the password, knowing the current one."""

    current_password = _password("current-password", "Current password")
    field_order = ("current_password", "new_password", "new_password_again")


class ProfileForm(forms.Form):
    """The public profile: name, bio, website and privacy."""

    display_name = forms.CharField(
        label="Name",
        required=False,
        max_length=256,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    bio = forms.CharField(
        required=False,
        max_length=4096,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter": "bio-counter"}),
    )
    website = forms.CharField(
        required=False,
        max_length=2048,
        widget=forms.TextInput(
            attrs={
                "inputmode": "url",
                "autocomplete": "url",
                "autocapitalize": "none",
                "spellcheck": "false",
                "placeholder": "https://example.com",
            }
        ),
    )
    is_private = forms.BooleanField(
        label="Private account",
        required=False,
        help_text="Only people you approve will see your photos and videos.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Browsers stop typing at the limit; the service still enforces it on the server.
        self.fields["bio"].widget.attrs["maxlength"] = str(settings.GLIMPSE_BIO_MAX)
        self.fields["display_name"].widget.attrs["maxlength"] = str(
            settings.GLIMPSE_DISPLAY_NAME_MAX
        )


class AvatarForm(forms.Form):
    """A new profile picture; its content is checked by the service, not here."""

    avatar = forms.FileField(
        label="Profile photo",
        widget=forms.FileInput(attrs={"accept": "image/*", "aria-label": "Profile photo"}),
    )
    # The square chosen in the crop dialog, as JSON; empty takes the centred square.
    crop = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-crop": ""}))

    def clean_crop(self) -> object | None:
        """Parse the crop's JSON; its shape is checked by the service."""
        raw = self.cleaned_data.get("crop") or ""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise forms.ValidationError("The crop could not be read. Try again.") from None


class TokenCreateForm(forms.Form):
    """Name a new personal API token."""

    name = forms.CharField(
        label="Token name",
        required=False,
        max_length=256,
        widget=forms.TextInput(attrs={"placeholder": "e.g. My script", "autocomplete": "off"}),
    )


class AccountDeleteForm(forms.Form):
    """Confirm the deletion of the account with its password."""

    password = _password("current-password")
