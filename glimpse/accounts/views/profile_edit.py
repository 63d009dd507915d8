"""The edit-profile page: profile fields and the profile picture."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from glimpse.accounts import services
from glimpse.accounts.forms import (
    AvatarForm,
    ProfileForm,
)
from glimpse.accounts.models import User
from glimpse.accounts.presenters import avatar_of
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError
from glimpse.core.web import INVALID_FORM_STATUS, apply_error, form_status


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Show and save the profile form (name, bio, website, privacy)."""
    user = request_viewer(request)
    if request.method != "POST":
        return _edit_page(request, user)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, user, form=form, status=INVALID_FORM_STATUS)
    try:
        services.profile_update(
            user=user,
            display_name=form.cleaned_data["display_name"],
            bio=form.cleaned_data["bio"],
            website=form.cleaned_data["website"],
            is_private=form.cleaned_data["is_private"],
        )
    except GlimpseError as error:
        apply_error(form, error)
        return _edit_page(request, user, form=form, status=form_status(error))
    messages.success(request, "Your profile is saved.")
    return redirect("profile", username=user.username)


@login_required
@require_POST
def avatar_upload(request: HttpRequest) -> HttpResponse:
    """Set the profile picture from an uploaded photo."""
    user = request_viewer(request)
    form = AvatarForm(request.POST, request.FILES)
    if not form.is_valid():
        return _edit_page(request, user, avatar_form=form, status=INVALID_FORM_STATUS)
    upload = form.cleaned_data["avatar"]
    try:
        services.avatar_set(
            user=user,
            upload=upload,
            size_bytes=upload.size or 0,
            crop=form.cleaned_data["crop"],
        )
    except GlimpseError as error:
        apply_error(form, error)
        return _edit_page(request, user, avatar_form=form, status=form_status(error))
    messages.success(request, "Your profile photo is updated.")
    return redirect("accounts:profile_edit")


@login_required
@require_POST
def avatar_remove(request: HttpRequest) -> HttpResponse:
    """Remove the profile picture."""
    services.avatar_remove(user=request_viewer(request))
    messages.success(request, "Your profile photo is removed.")
    return redirect("accounts:profile_edit")


def _edit_page(
    request: HttpRequest,
    user: User,
    *,
    form: ProfileForm | None = None,
    avatar_form: AvatarForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = ProfileForm(
            initial={
                "display_name": user.display_name,
                "bio": user.bio,
                "website": user.website,
                "is_private": user.is_private,
            }
        )
    context = {
        "form": form,
        "avatar_form": avatar_form or AvatarForm(),
        "avatar": avatar_of(user, 150),
        "has_avatar": bool(user.avatar_version),
        "bio_max": settings.GLIMPSE_BIO_MAX,
    }
    return render(request, "accounts/profile_edit.html", context, status=status)
