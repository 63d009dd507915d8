"""Web pages of moderation: the report form for everyone, the queue and cases for moderators.

The moderators' pages answer the site's 404 to everyone else, like any page that is not
there for them. Pages only call one service or selector and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from glimpse.accounts.models import User
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, NotFound
from glimpse.core.web import safe_next
from glimpse.moderation import selectors, services
from glimpse.moderation.models import ModerationAction, Reason, TargetType
from glimpse.moderation.reported import Target, target_visible
from glimpse.moderation.roles import is_moderator


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    """Show the report form of a target the viewer may see, and send it."""
    viewer = request_viewer(request)
    if target_type not in TargetType.values:
        raise Http404("No such page.")
    try:
        target = target_visible(viewer=viewer, target_type=target_type, target_id=target_id)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    back = safe_next(request) or _target_url(target)
    error: GlimpseError | None = None
    if request.method == "POST":
        try:
            services.report_create(
                reporter=viewer,
                target_type=target_type,
                target_id=target_id,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
                forward=request.POST.get("forward") == "on",
            )
        except GlimpseError as refused:
            if refused.code == "already_reported":
                messages.info(request, refused.message)
                return redirect(back)
            error = refused
        else:
            messages.success(request, "Thanks for telling us. The moderators will look at it.")
            return redirect(back)
    context = {
        "target": target,
        "label": TargetType(target_type).label.lower(),
        "reasons": Reason.choices,
        "chosen": request.POST.get("reason", ""),
        "note": request.POST.get("note", ""),
        "forward_to": _server_of(target.account),
        "back": back,
        "error": error,
    }
    return render(request, "moderation/report.html", context, status=error.status if error else 200)


def _server_of(account: User | None) -> str:
    """Return the host of an account of another server, or "" for a local one."""
    if account is None or not account.is_remote:
        return ""
    return account.username.rsplit("@", 1)[1]


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Show the targets waiting for a moderator, with their report counts and reasons."""
    _moderator(request)
    context = {"rows": selectors.queue_open(), "log": selectors.audit_log()[:20]}
    return render(request, "moderation/queue.html", context)


@login_required
@require_safe
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show one case: the target in its context, every report, the log and the actions."""
    _moderator(request)
    try:
        view = selectors.case_get(case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from error
    context = {
        "view": view,
        "case": view.case,
        "target": view.target,
        "label": TargetType(view.case.target_type).label.lower(),
        "actions": ModerationAction.Kind.choices,
        "can_remove": view.target is not None and view.case.target_type != TargetType.ACCOUNT,
    }
    return render(request, "moderation/case.html", context)


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int) -> HttpResponse:
    """Take the action chosen on a case's page, then go back to the queue."""
    moderator = _moderator(request)
    raw_days = request.POST.get("days", "")
    try:
        done = services.case_act(
            moderator=moderator,
            case_id=case_id,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
            days=int(raw_days) if raw_days.isdigit() else None,
        )
    except NotFound as error:
        raise Http404(error.message) from error
    except GlimpseError as refused:
        problems = " ".join(p for ps in refused.fields.values() for p in ps)
        messages.error(request, f"{refused.message} {problems} Nothing was changed.".strip())
        return redirect("moderation:case", case_id=case_id)
    messages.success(request, f"Done: {done.get_action_display().lower()}.")
    return redirect("moderation:queue")


def _moderator(request: HttpRequest) -> User:
    """Return the viewer if a moderator; anyone else gets the site's 404."""
    viewer = request_viewer(request)
    if not is_moderator(viewer):
        raise Http404("No such page.")
    return viewer


def _target_url(target: Target) -> str:
    if target.type == TargetType.POST:
        return reverse("posts:detail", args=[target.id])
    if target.type == TargetType.COMMENT:
        return reverse("posts:detail", args=[target.obj.post_id])
    if target.type == TargetType.STORY:
        return reverse("stories:viewer", args=[target.obj.author.username])
    if target.type == TargetType.MESSAGE:
        return reverse("messages:conversation", args=[target.obj.conversation_id])
    return reverse("profile", args=[target.obj.username])
