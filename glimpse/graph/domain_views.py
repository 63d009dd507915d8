"""The settings page of an account's blocked servers: list, block one, unblock one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from glimpse.accounts.viewers import request_viewer
from glimpse.core.errors import GlimpseError
from glimpse.graph import domain_selectors, domain_services

PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
def blocked_domains(request: HttpRequest) -> HttpResponse:
    """List the servers the viewer blocked, and block one more."""
    viewer = request_viewer(request)
    error: GlimpseError | None = None
    if request.method == "POST":
        try:
            domain = domain_services.account_domain_block_create(
                owner=viewer, domain=request.POST.get("domain", "")
            )
        except GlimpseError as refused:
            error = refused
        else:
            messages.success(
                request, f"You blocked {domain}. Its accounts and you no longer see each other."
            )
            return redirect("graph:blocked_domains")
    rows = domain_selectors.account_domain_blocks_list(owner=viewer)[:PAGE_SIZE]
    problems = [p for ps in error.fields.values() for p in ps] if error else []
    context = {"rows": rows, "problems": problems, "typed": request.POST.get("domain", "")}
    return render(
        request, "graph/blocked_domains.html", context, status=error.status if error else 200
    )


@login_required
@require_POST
def unblock_domain(request: HttpRequest) -> HttpResponse:
    """Unblock one server."""
    try:
        domain = domain_services.account_domain_block_delete(
            owner=request_viewer(request), domain=request.POST.get("domain", "")
        )
    except GlimpseError:
        messages.error(request, "That is not a domain you blocked.")
    else:
        messages.success(request, f"You unblocked {domain}.")
    return redirect("graph:blocked_domains")
