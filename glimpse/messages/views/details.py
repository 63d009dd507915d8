"""A conversation's details: its members and their roles, and what a member may change (the
group's name and photo, members, admins, mute, leave)."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from glimpse.accounts.presenters import account_view_of
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError
from glimpse.messages import selectors, services
from glimpse.messages.presenters import thread_views
from glimpse.messages.views.common import back, call, refused

# Usernames typed into "Add people", separated by commas or spaces.
_NAMES = re.compile(r"[\s,]+")


@login_required
@require_safe
def details(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Show a conversation's members and settings."""
    viewer = request_viewer(request)
    thread = call(selectors.thread_get, viewer=viewer, conversation_id=conversation_id)
    [view] = thread_views([thread], viewer_id=viewer.pk)
    context = {
        "thread": view,
        "me": account_view_of(viewer),
        "is_admin": view.kind == "group" and view.role == "admin",
        "name_max": settings.GLIMPSE_GROUP_NAME_MAX,
        "members_max": settings.GLIMPSE_GROUP_MEMBERS_MAX,
    }
    return render(request, "messages/details.html", context)


@login_required
@require_POST
def rename(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Rename a group."""
    viewer = request_viewer(request)
    name = request.POST.get("name", "")
    try:
        call(services.conversation_update, actor=viewer, conversation_id=conversation_id, name=name)
    except GlimpseError as error:
        return refused(request, error, to=_details(conversation_id))
    messages.success(request, "The group's name is saved." if name.strip() else "The name is gone.")
    return redirect(_details(conversation_id))


@login_required
@require_POST
def mute(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Mute a conversation for oneself (``muted=1``), or unmute it."""
    viewer = request_viewer(request)
    muted = request.POST.get("muted") == "1"
    try:
        call(
            services.conversation_update,
            actor=viewer,
            conversation_id=conversation_id,
            muted=muted,
        )
    except GlimpseError as error:
        return refused(request, error, to=_details(conversation_id))
    messages.success(
        request,
        "Muted: its messages no longer count in your badge or reach your devices."
        if muted
        else "Unmuted.",
    )
    return back(request, to=_details(conversation_id))


@login_required
@require_POST
def leave(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Leave a group."""
    viewer = request_viewer(request)
    try:
        call(services.conversation_leave, actor=viewer, conversation_id=conversation_id)
    except GlimpseError as error:
        return refused(request, error, to=_details(conversation_id))
    messages.success(request, "You left the group.")
    return redirect("messages:inbox")


@login_required
@require_POST
def members_add(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Add people (usernames, by commas or spaces, or one per field) to a group."""
    viewer = request_viewer(request)
    typed = " ".join(request.POST.getlist("usernames"))
    usernames = [name for name in _NAMES.split(typed) if name]
    try:
        call(
            services.members_add,
            actor=viewer,
            conversation_id=conversation_id,
            usernames=usernames,
        )
    except GlimpseError as error:
        return refused(request, error, to=_details(conversation_id))
    added = ", ".join(f"@{name.lstrip('@')}" for name in usernames)
    messages.success(request, f"Added {added}.")
    return redirect(_details(conversation_id))


@login_required
@require_POST
def member_remove(request: HttpRequest, conversation_id: int, username: str) -> HttpResponse:
    """Remove a member from a group the viewer administers."""
    viewer = request_viewer(request)
    try:
        call(
            services.member_remove,
            actor=viewer,
            conversation_id=conversation_id,
            username=username,
        )
    except GlimpseError as error:
        return refused(request, error, to=_details(conversation_id))
    messages.success(request, f"@{username} is no longer in the group.")
    return redirect(_details(conversation_id))


@login_required
@require_POST
def member_admin(request: HttpRequest, conversation_id: int, username: str) -> HttpResponse:
    """Make a member of a group the viewer administers an admin (``admin=1``), or not."""
    viewer = request_viewer(request)
    admin = request.POST.get("admin") == "1"
    try:
        call(
            services.member_admin_set,
            actor=viewer,
            conversation_id=conversation_id,
            username=username,
            admin=admin,
        )
    except GlimpseError as error:
        return refused(request, error, to=_details(conversation_id))
    messages.success(
        request, f"@{username} is now an admin." if admin else f"@{username} is no longer an admin."
    )
    return redirect(_details(conversation_id))


def _details(conversation_id: int) -> str:
    return reverse("messages:details", args=[conversation_id])
