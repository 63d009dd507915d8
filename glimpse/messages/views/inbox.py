"""The inbox and the message requests: their pages, the next page of each as it scrolls, and
what one does with a request (accept, delete, block its sender)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError
from glimpse.graph import selectors as graph_selectors
from glimpse.graph import services as graph_services
from glimpse.messages import selectors, services
from glimpse.messages.presenters import thread_views
from glimpse.messages.views.common import INBOX_PAGE_SIZE, call, cursor, refused

LIST_PART = "messages/partials/thread_list.html"


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """Show the viewer's conversations, latest activity first; ``?part=list`` draws the list
    alone (the next page as it scrolls, or the first again when something changed)."""
    return _list_page(request, requests=False)


@login_required
@require_safe
def requests(request: HttpRequest) -> HttpResponse:
    """Show the conversations waiting in the viewer's Requests."""
    return _list_page(request, requests=True)


@login_required
@require_POST
def accept(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Accept a conversation from the viewer's Requests and open it."""
    viewer = request_viewer(request)
    try:
        call(
            services.conversation_update,
            actor=viewer,
            conversation_id=conversation_id,
            accepted=True,
        )
    except GlimpseError as error:
        return refused(request, error, to=reverse("messages:requests"))
    return redirect("messages:conversation", conversation_id)


@login_required
@require_POST
def delete(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Delete a conversation for the viewer (decline a request): it comes back only with a
    new message, without those before."""
    viewer = request_viewer(request)
    _, member = call(selectors.conversation_get, viewer=viewer, conversation_id=conversation_id)
    try:
        services.conversation_delete_for_me(actor=viewer, conversation_id=conversation_id)
    except GlimpseError as error:
        return refused(request, error, to=reverse("messages:inbox"))
    messages.success(request, "The conversation is deleted for you.")
    return redirect("messages:inbox" if member.accepted else "messages:requests")


@login_required
@require_POST
def block(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Block the other side of a one-to-one conversation: it ends for both."""
    viewer = request_viewer(request)
    thread = call(selectors.thread_get, viewer=viewer, conversation_id=conversation_id)
    [view] = thread_views([thread], viewer_id=viewer.pk)
    if view.kind != "direct" or not view.members or not view.members[0].account.username:
        raise Http404("Only the other side of a one-to-one conversation can be blocked here.")
    username = view.members[0].account.username
    try:
        account = call(graph_selectors.block_target_get, viewer=viewer, username=username)
        graph_services.block_create(blocker=viewer, blocked=account)
    except GlimpseError as error:
        return refused(request, error, to=reverse("messages:conversation", args=[view.id]))
    messages.success(
        request,
        f"You blocked @{username}. Your conversation is gone for both of you, and neither of "
        "you sees the other anywhere on Glimpse.",
    )
    return redirect("messages:inbox" if view.accepted else "messages:requests")


def _list_page(request: HttpRequest, *, requests: bool) -> HttpResponse:
    """Render the inbox or the requests, whole or only their list."""
    viewer = request_viewer(request)
    page = selectors.inbox(
        viewer=viewer, requests=requests, max_id=cursor(request), limit=INBOX_PAGE_SIZE
    )
    context = {
        "threads": thread_views(page.threads, viewer_id=viewer.pk),
        "next_max_id": page.next_max_id,
        "requests": requests,
        "list_url": reverse("messages:requests" if requests else "messages:inbox"),
    }
    if request.GET.get("part") == "list":
        return render(request, LIST_PART, context)
    context["request_count"] = selectors.requests_count(viewer=viewer)
    return render(request, "messages/inbox.html", context)
