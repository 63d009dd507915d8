"""A conversation's page: its latest messages drawn on the server (older ones as the viewer
scrolls up, one message alone for a live update), the composer's plain-form fallback, and
the one-to-one with an account, opened or started.

The page's script (messages.js) writes through the JSON API and redraws a message by asking
for its piece of page here, so that every bubble is drawn by one template.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from glimpse.accounts.presenters import account_view_of
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError
from glimpse.core.web import form_status
from glimpse.messages import selectors, services
from glimpse.messages.presenters import ThreadView, message_views, thread_views
from glimpse.messages.views.common import (
    MESSAGES_PAGE_SIZE,
    SIDE_PAGE_SIZE,
    call,
    cursor,
    refusal_text,
)
from glimpse.messages.views.display import lone_row, rows_of, seen_text

# The reactions a message's menu offers at a tap (any other emoji goes through the API).
QUICK_EMOJIS = ("❤️", "😂", "😮", "😢", "😡", "👍")


@login_required
@require_safe
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Show a conversation with its latest messages (``?max_id`` pages back without script),
    beside the inbox on a wide screen."""
    viewer = request_viewer(request)
    thread = call(selectors.thread_get, viewer=viewer, conversation_id=conversation_id)
    page_max_id = cursor(request)
    page = selectors.messages_page(
        viewer=viewer,
        conversation_id=conversation_id,
        max_id=page_max_id,
        limit=MESSAGES_PAGE_SIZE,
    )
    [view] = thread_views([thread], viewer_id=viewer.pk)
    shown = list(reversed(message_views(page.messages, viewer_id=viewer.pk)))
    marks = selectors.read_marks(viewer=viewer, thread=thread)
    side = selectors.inbox(viewer=viewer, limit=SIDE_PAGE_SIZE)
    context = {
        **_thread_context(view, marks),
        "rows": rows_of(shown),
        "older_max_id": page.next_max_id,
        "seen": seen_text(view, marks, shown[-1] if shown else None),
        # The page reads what it shows only when it shows the latest messages.
        "newest_id": shown[-1].id if shown and page_max_id is None else 0,
        "threads": thread_views(side.threads, viewer_id=viewer.pk),
        "next_max_id": side.next_max_id,
        "list_url": reverse("messages:inbox"),
        "request_count": selectors.requests_count(viewer=viewer),
        "quick_emojis": QUICK_EMOJIS,
    }
    return render(request, "messages/conversation.html", context)


@login_required
@require_safe
def older(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Draw the messages before ``max_id`` (the page's script adds them above)."""
    viewer = request_viewer(request)
    max_id = cursor(request)
    if max_id is None:
        raise Http404("Name the message to go back from (max_id).")
    thread = call(selectors.thread_get, viewer=viewer, conversation_id=conversation_id)
    page = selectors.messages_page(
        viewer=viewer, conversation_id=conversation_id, max_id=max_id, limit=MESSAGES_PAGE_SIZE
    )
    [view] = thread_views([thread], viewer_id=viewer.pk)
    shown = list(reversed(message_views(page.messages, viewer_id=viewer.pk)))
    context = {
        "thread": view,
        "rows": rows_of(shown),
        "older_max_id": page.next_max_id,
        "edit_window": settings.GLIMPSE_MESSAGE_EDIT_WINDOW,
    }
    return render(request, "messages/partials/older.html", context)


@login_required
@require_safe
def message(request: HttpRequest, conversation_id: int, message_id: int) -> HttpResponse:
    """Draw one message as the viewer sees it now (a live update of the page)."""
    viewer = request_viewer(request)
    found = call(selectors.message_for, viewer=viewer, message_id=message_id)
    if found.conversation_id != conversation_id:
        raise Http404(selectors.MISSING_MESSAGE)
    thread = call(selectors.thread_get, viewer=viewer, conversation_id=conversation_id)
    [view] = thread_views([thread], viewer_id=viewer.pk)
    [shown] = message_views([found], viewer_id=viewer.pk)
    context = {
        "thread": view,
        "row": lone_row(shown),
        "edit_window": settings.GLIMPSE_MESSAGE_EDIT_WINDOW,
    }
    return render(request, "messages/partials/message.html", context)


@login_required
@require_POST
def send(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Send the composer's text without script (the page's script sends through the API)."""
    viewer = request_viewer(request)
    here = reverse("messages:conversation", args=[conversation_id])
    reply_to = request.POST.get("reply_to_id", "")
    try:
        sent = call(
            services.message_send,
            actor=viewer,
            conversation_id=conversation_id,
            text=request.POST.get("text", ""),
            reply_to_id=int(reply_to) if reply_to.isdigit() else None,
        )
    except GlimpseError as error:
        messages.error(request, f"{refusal_text(error)} Nothing was sent.")
        return redirect(here)
    return redirect(f"{here}#m-{sent.pk}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def with_account(request: HttpRequest, username: str) -> HttpResponse:
    """Open the viewer's one-to-one conversation with an account; when there is none yet,
    show an empty one whose first message starts it."""
    viewer = request_viewer(request)
    account, found = call(selectors.direct_with, viewer=viewer, username=username)
    if found is not None:
        return redirect("messages:conversation", found.pk)
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                started, _ = services.conversation_start(actor=viewer, usernames=[account.username])
                services.message_send(
                    actor=viewer, conversation_id=started.pk, text=request.POST.get("text", "")
                )
        except GlimpseError as refusal:
            error = refusal
        else:
            return redirect("messages:conversation", started.pk)
    side = selectors.inbox(viewer=viewer, limit=SIDE_PAGE_SIZE)
    context = {
        "person": account_view_of(account),
        "error": refusal_text(error) if error else "",
        "text": request.POST.get("text", ""),
        "text_max": settings.GLIMPSE_MESSAGE_TEXT_MAX,
        "threads": thread_views(side.threads, viewer_id=viewer.pk),
        "next_max_id": side.next_max_id,
        "list_url": reverse("messages:inbox"),
        "request_count": selectors.requests_count(viewer=viewer),
    }
    return render(
        request, "messages/draft.html", context, status=form_status(error) if error else 200
    )


def _thread_context(view: ThreadView, marks: dict[int, int]) -> dict[str, Any]:
    """Return what the conversation's page and its script need to know of it."""
    names = {str(member.account.id): member.account.name for member in view.members}
    return {
        "thread": view,
        "other": view.members[0] if view.kind == "direct" and view.members else None,
        "marks_json": json.dumps({str(pk): str(upto) for pk, upto in marks.items()}),
        "names_json": json.dumps(names),
        "edit_window": settings.GLIMPSE_MESSAGE_EDIT_WINDOW,
        "text_max": settings.GLIMPSE_MESSAGE_TEXT_MAX,
        "media_max": settings.GLIMPSE_MESSAGE_MEDIA_MAX,
    }
