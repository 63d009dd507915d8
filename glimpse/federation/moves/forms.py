"""Web forms of moving accounts: they check the shape of input only; services apply the rules."""

from __future__ import annotations

from django import forms

_ADDRESS_MAX = 2048
_PASSWORD_MAX = 4096


def _handle(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=_ADDRESS_MAX,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "placeholder": "@name@server",
            }
        ),
    )


class AliasForm(forms.Form):
    """Name an old account this one moved from."""

    address = _handle("Old account", "Its handle, like @name@mastodon.social, or its address.")


class MoveForm(forms.Form):
    """Name the new account and confirm the move with the password."""

    target = _handle("New account", "Its handle, like @name@pixelfed.social, or its address.")
    password = forms.CharField(
        label="Your password",
        max_length=_PASSWORD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
