"""One's messaging settings: who may start a conversation with you, and read receipts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError
from glimpse.core.web import INVALID_FORM_STATUS, form_error, posted
from glimpse.messages import selectors, services
from glimpse.messages.models import MessagingSettings

TEMPLATE = "messages/settings.html"


class MessagingForm(forms.Form):
    """The messaging settings as a form."""

    allow_from = forms.ChoiceField(
        label="Who can message you",
        choices=MessagingSettings.AllowFrom.choices,
        widget=forms.RadioSelect,
        help_text="People you follow always reach your inbox; others land in your Requests.",
    )
    read_receipts = forms.BooleanField(
        label="Read receipts",
        required=False,
        help_text="Let others see when you have read their messages. Off, you don't see "
        "theirs either.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def messaging_settings(request: HttpRequest) -> HttpResponse:
    """Show and save who may message the viewer, and its read receipts."""
    viewer = request_viewer(request)
    current = selectors.messaging_settings(viewer=viewer)
    initial = {"allow_from": current.allow_from, "read_receipts": current.read_receipts}
    form = MessagingForm(posted(request), initial=initial)
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": form})
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=INVALID_FORM_STATUS)
    try:
        services.messaging_settings_update(
            account=viewer,
            allow_from=form.cleaned_data["allow_from"],
            read_receipts=form.cleaned_data["read_receipts"],
        )
    except GlimpseError as error:
        return form_error(request, TEMPLATE, {"form": form}, form, error)
    messages.success(request, "Your messaging settings are saved.")
    return redirect("messages:settings")
