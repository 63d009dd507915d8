"""Web forms of two-factor sign-in: they check the shape of input; services apply the rules."""

from __future__ import annotations

from django import forms

_PASSWORD_MAX = 4096


def _password() -> forms.CharField:
    return forms.CharField(
        label="Password",
        max_length=_PASSWORD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _code(label: str, help_text: str, **attrs: object) -> forms.CharField:
    base: dict[str, object] = {
        "autocomplete": "one-time-code",
        "autocapitalize": "none",
        "spellcheck": "false",
    }
    return forms.CharField(
        label=label,
        max_length=32,
        help_text=help_text,
        widget=forms.TextInput(attrs={**base, **attrs}),
    )


class PasswordConfirmForm(forms.Form):
    """Confirm a change with the account's password."""

    password = _password()


class TotpEnableForm(forms.Form):
    """Turn the authenticator app on: the password and a first code from the app."""

    password = _password()
    code = _code(
        "Code from the app", "The 6 digits the app shows for Glimpse now.", inputmode="numeric"
    )


class PasskeyAddForm(forms.Form):
    """Name a new passkey and confirm with the password."""

    name = forms.CharField(
        label="Passkey name",
        max_length=64,
        help_text="So that you can tell your passkeys apart, like “Phone” or “Laptop”.",
    )
    password = _password()


class LoginCodeForm(forms.Form):
    """The second step of a log-in: a code from the app, or a recovery code."""

    code = _code(
        "Code",
        "The 6-digit code from your authenticator app, or one of your recovery codes.",
        autofocus=True,
    )
