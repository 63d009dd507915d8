"""Starting conversations: the "new message" page (one account, or several and a name for a
group) and the "Send to…" sheet that shares a post, Reel, story or profile.

Both work as plain forms; with script, the sheet opens over the page it was called from and
sends through the JSON API (send_to.js), and the new message page searches as one types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from glimpse.accounts.models import User
from glimpse.accounts.presenters import AccountView, account_view_of
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError
from glimpse.core.web import form_status, safe_next
from glimpse.messages import selectors, services
from glimpse.messages.presenters import thread_views
from glimpse.messages.views.common import refusal_text
from glimpse.search.selectors import search_accounts

SEARCH_SIZE = 20
RECENT_SIZE = 12


@dataclass(frozen=True)
class Shared:
    """What the "Send to…" sheet shares: exactly one of a post, a story or a profile."""

    post_id: int | None
    story_id: int | None
    username: str | None

    @property
    def label(self) -> str:
        """Return what is shared, in words."""
        if self.story_id:
            return "story"
        if self.username:
            return f"@{self.username}'s profile"
        return "post"

    @property
    def home(self) -> str:
        """Return the page of the shared thing (where a plain form goes back to)."""
        if self.post_id:
            return reverse("posts:detail", args=[self.post_id])
        if self.username:
            return reverse("profile", args=[self.username])
        return reverse("messages:inbox")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Pick people to write to: one is a one-to-one (the existing one opens), several with an
    optional name make a group."""
    viewer = request_viewer(request)
    if request.method == "POST":
        usernames = [name for name in request.POST.getlist("usernames") if name.strip()]
        try:
            started, _ = services.conversation_start(
                actor=viewer, usernames=usernames, name=request.POST.get("name", "")
            )
        except GlimpseError as refusal:
            context = _people_context(request, viewer)
            context.update(
                error=refusal_text(refusal), chosen=usernames, name=request.POST.get("name", "")
            )
            return render(request, "messages/new.html", context, status=form_status(refusal))
        return redirect("messages:conversation", started.pk)
    return render(request, "messages/new.html", _people_context(request, viewer))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def send_to(request: HttpRequest) -> HttpResponse:
    """Share a post, Reel, story or profile with conversations or accounts (``?sheet=1`` draws
    the sheet alone, for the script that lays it over the page)."""
    viewer = request_viewer(request)
    shared = _shared(request)
    if request.method == "POST":
        return _send_all(request, viewer, shared)
    context = _people_context(request, viewer)
    recent = selectors.inbox(viewer=viewer, limit=RECENT_SIZE)
    context.update(
        shared=shared,
        recent=thread_views(recent.threads, viewer_id=viewer.pk),
        next=safe_next(request) or shared.home,
        text_max=settings.GLIMPSE_MESSAGE_TEXT_MAX,
    )
    if request.GET.get("sheet") == "1":
        return render(request, "messages/partials/send_sheet.html", context)
    return render(request, "messages/send_to.html", context)


def _send_all(request: HttpRequest, viewer: User, shared: Shared) -> HttpResponse:
    """Send the shared thing to each chosen conversation and account; say which failed."""
    targets: list[tuple[str, int | None, str | None]] = [
        (raw, int(raw), None) for raw in request.POST.getlist("to") if raw.isdigit()
    ]
    targets += [(name, None, name) for name in request.POST.getlist("usernames") if name.strip()]
    if not targets:
        messages.error(request, "Choose who to send it to. Nothing was sent.")
        return redirect(request.get_full_path())
    failures = []
    for label, conversation_id, username in targets:
        try:
            with transaction.atomic():
                if username is not None:
                    started, _ = services.conversation_start(actor=viewer, usernames=[username])
                    conversation_id = started.pk
                assert conversation_id is not None
                services.message_send(
                    actor=viewer,
                    conversation_id=conversation_id,
                    text=request.POST.get("text", ""),
                    shared_post_id=shared.post_id,
                    shared_story_id=shared.story_id,
                    shared_username=shared.username,
                )
        except GlimpseError as error:
            failures.append(f"{label}: {refusal_text(error)}")
    sent = len(targets) - len(failures)
    if sent:
        messages.success(request, "Sent." if sent == 1 else f"Sent to {sent} conversations.")
    for failure in failures:
        messages.error(request, f"Not sent to {failure}")
    return redirect(safe_next(request) or shared.home)


def _shared(request: HttpRequest) -> Shared:
    """Return what the request shares, from its query string or form."""
    data = request.POST if request.method == "POST" else request.GET
    post, story = data.get("post", ""), data.get("story", "")
    username = data.get("profile", "").strip().lstrip("@") or None
    return Shared(
        post_id=int(post) if post.isdigit() else None,
        story_id=int(story) if story.isdigit() and not post else None,
        username=username if not post and not story else None,
    )


def _people_context(request: HttpRequest, viewer: User) -> dict[str, Any]:
    """Return the accounts found for ``?q`` (not the viewer), and the query."""
    query = request.GET.get("q", "").strip()
    found: list[AccountView] = []
    error = ""
    if query:
        try:
            accounts = search_accounts(viewer=viewer, q=query, limit=SEARCH_SIZE)
        except GlimpseError as refusal:
            error = refusal_text(refusal)
        else:
            found = [account_view_of(a) for a in accounts if a.pk != viewer.pk]
    return {"q": query, "found": found, "search_error": error, "chosen": [], "name": ""}
