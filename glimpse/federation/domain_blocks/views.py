"""The moderators' pages of other servers: the blocks, adding, changing and lifting one.

Everyone but a moderator gets the site's 404, as on the other moderation pages. Suspending
asks once more, with what it reaches, before anything is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from glimpse.accounts.models import User
from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError, NotFound
from glimpse.federation.domain_blocks import selectors, services
from glimpse.federation.domain_blocks.models import DomainBlock, Severity
from glimpse.moderation.roles import is_moderator


@login_required
@require_http_methods(["GET", "POST"])
def domain_blocks(request: HttpRequest) -> HttpResponse:
    """List the blocked servers, and block one more (a suspension is confirmed first)."""
    moderator = _moderator(request)
    form = _form(request)
    if request.method == "POST":
        if _needs_confirming(request, form):
            return _confirm(request, moderator, form, block=None)
        try:
            block = services.domain_block_create(moderator=moderator, **form)
        except GlimpseError as refused:
            return _list(request, moderator, form, refused)
        messages.success(request, f"Done: {block.domain} is {_done(block)}.")
        return redirect("domain_blocks:list")
    return _list(request, moderator, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def domain_block_edit(request: HttpRequest, block_id: int) -> HttpResponse:
    """Show one block and change it (a change to suspend is confirmed first)."""
    moderator = _moderator(request)
    block = _block(moderator, block_id)
    form = _form(request) if request.method == "POST" else _form_of(block)
    error: GlimpseError | None = None
    if request.method == "POST":
        if _needs_confirming(request, form) and block.severity != Severity.SUSPEND:
            return _confirm(request, moderator, form, block=block)
        fields = {key: value for key, value in form.items() if key != "domain"}
        try:
            block = services.domain_block_update(moderator=moderator, block_id=block.pk, **fields)
        except GlimpseError as refused:
            error = refused
        else:
            messages.success(request, f"Done: {block.domain} is {_done(block)}.")
            return redirect("domain_blocks:list")
    reach = selectors.domain_reach(viewer=moderator, domain=block.domain)
    context = {"entry": block, "form": form, "reach": reach, **_errors(error)}
    return render(request, "federation/domain_block_edit.html", context, status=_status(error))


@login_required
@require_POST
def domain_block_remove(request: HttpRequest, block_id: int) -> HttpResponse:
    """Lift a block: its accounts are shown again."""
    moderator = _moderator(request)
    try:
        domain = services.domain_block_delete(moderator=moderator, block_id=block_id)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    messages.success(request, f"Lifted: {domain} is no longer blocked.")
    return redirect("domain_blocks:list")


def _moderator(request: HttpRequest) -> User:
    viewer = request_viewer(request)
    if not is_moderator(viewer):
        raise Http404("No such page.")
    return viewer


def _block(moderator: User, block_id: int) -> DomainBlock:
    try:
        return selectors.domain_block_get(viewer=moderator, block_id=block_id)
    except NotFound as missing:
        raise Http404(missing.message) from missing


def _form(request: HttpRequest) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else request.GET
    return {
        "domain": data.get("domain", ""),
        "severity": data.get("severity", Severity.SILENCE),
        "reject_media": data.get("reject_media") == "on",
        "private_comment": data.get("private_comment", ""),
        "public_comment": data.get("public_comment", ""),
    }


def _form_of(block: DomainBlock) -> dict[str, Any]:
    return {
        "domain": block.domain,
        "severity": block.severity,
        "reject_media": block.reject_media,
        "private_comment": block.private_comment,
        "public_comment": block.public_comment,
    }


def _needs_confirming(request: HttpRequest, form: dict[str, Any]) -> bool:
    return form["severity"] == Severity.SUSPEND and request.POST.get("confirm") != "yes"


def _confirm(
    request: HttpRequest, moderator: User, form: dict[str, Any], *, block: DomainBlock | None
) -> HttpResponse:
    """Ask once more before a suspension, with the accounts and follows it reaches."""
    domain = block.domain if block is not None else form["domain"]
    try:
        reach = selectors.domain_reach(viewer=moderator, domain=domain)
    except GlimpseError as refused:
        return _list(request, moderator, form, refused)
    context = {"form": {**form, "domain": domain}, "entry": block, "reach": reach}
    return render(request, "federation/domain_block_confirm.html", context)


def _list(
    request: HttpRequest, moderator: User, form: dict[str, Any], error: GlimpseError | None
) -> HttpResponse:
    context = {
        "blocks": selectors.domain_blocks_list(viewer=moderator),
        "form": form,
        "severities": Severity.choices,
        **_errors(error),
    }
    return render(request, "federation/domain_blocks.html", context, status=_status(error))


def _errors(error: GlimpseError | None) -> dict[str, Any]:
    if error is None:
        return {"error": None, "problems": {}}
    return {"error": error.message, "problems": {k: " ".join(v) for k, v in error.fields.items()}}


def _status(error: GlimpseError | None) -> int:
    return error.status if error is not None else 200


def _done(block: DomainBlock) -> str:
    what = "suspended" if block.severity == Severity.SUSPEND else "silenced"
    return f"{what}{', its media rejected' if block.reject_media else ''}"
