"""Web pages of the social graph: follow buttons, lists, requests, blocked and muted accounts.

Each view parses the request, calls one selector or service, and renders or redirects.
Whatever the viewer may not see is the site's ordinary 404 page, as for a missing account.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from glimpse.accounts.models import User
from glimpse.accounts.presenters import account_view_of
from glimpse.accounts.viewers import request_viewer, request_viewer_or_none
from glimpse.core.errors import GlimpseError, NotFound
from glimpse.core.pagination import Page, paginate
from glimpse.core.web import safe_next
from glimpse.graph import selectors, services, visibility

PAGE_SIZE = 30


# --- Lists ----------------------------------------------------------------------------------


@require_safe
def followers(request: HttpRequest, username: str) -> HttpResponse:
    """List an account's followers (a private account's only for its followers)."""
    viewer = request_viewer_or_none(request)
    account = _account(viewer, username)
    edges = _call(selectors.followers_list, viewer=viewer, account=account)
    return _list_page(request, viewer, account, edges, "follower", kind="followers")


@require_safe
def following(request: HttpRequest, username: str) -> HttpResponse:
    """List the accounts an account follows (a private account's only for its followers)."""
    viewer = request_viewer_or_none(request)
    account = _account(viewer, username)
    edges = _call(selectors.following_list, viewer=viewer, account=account)
    return _list_page(request, viewer, account, edges, "followee", kind="following")


@login_required
@require_safe
def blocked(request: HttpRequest) -> HttpResponse:
    """List the accounts the viewer blocked, each with an Unblock button."""
    viewer = request_viewer(request)
    edges = selectors.blocked_list(owner=viewer)
    return _list_page(request, viewer, None, edges, "blocked", kind="blocked")


@login_required
@require_safe
def muted(request: HttpRequest) -> HttpResponse:
    """List the accounts the viewer muted, each with an Unmute button."""
    viewer = request_viewer(request)
    edges = selectors.muted_list(owner=viewer)
    return _list_page(request, viewer, None, edges, "muted", kind="muted")


@login_required
@require_safe
def follow_requests(request: HttpRequest) -> HttpResponse:
    """List the pending requests to follow the viewer, with Approve and Deny."""
    viewer = request_viewer(request)
    page = paginate(
        selectors.follow_requests_list(owner=viewer), max_id=_max_id(request), limit=PAGE_SIZE
    )
    requesters = [(edge, account_view_of(edge.requester)) for edge in page.items]
    rows = [(edge, view, view.avatar(150)) for edge, view in requesters]
    context = {"rows": rows, "next_max_id": page.next_max_id, "here": request.path}
    return render(request, "graph/follow_requests.html", context)


# --- Actions --------------------------------------------------------------------------------


@login_required
@require_POST
def follow(request: HttpRequest, username: str) -> HttpResponse:
    """Follow an account, or ask to when it is private."""
    viewer = request_viewer(request)
    account = _account(viewer, username)
    state = _call(services.follow_create, follower=viewer, followee=account)
    if state == "requested":
        messages.info(request, f"Requested: @{account.username} will decide whether to approve.")
    return _back(request, account)


@login_required
@require_POST
def unfollow(request: HttpRequest, username: str) -> HttpResponse:
    """Unfollow an account, or cancel the request to follow it."""
    viewer = request_viewer(request)
    account = _account(viewer, username)
    _call(services.follow_delete, follower=viewer, followee=account)
    return _back(request, account)


@login_required
@require_POST
def follower_remove(request: HttpRequest, username: str) -> HttpResponse:
    """Remove one of the viewer's followers."""
    viewer = request_viewer(request)
    account = _account(viewer, username)
    _call(services.follower_remove, owner=viewer, follower=account)
    messages.success(request, f"@{account.username} no longer follows you.")
    return _back(request, account)


@login_required
@require_POST
def block(request: HttpRequest, username: str) -> HttpResponse:
    """Block an account; its profile is gone for the viewer, so go to the blocked list."""
    viewer = request_viewer(request)
    account = _call(selectors.block_target_get, viewer=viewer, username=username)
    _call(services.block_create, blocker=viewer, blocked=account)
    messages.success(
        request,
        f"You blocked @{account.username}. You no longer see each other anywhere on Glimpse.",
    )
    return redirect("graph:blocked")


@login_required
@require_POST
def unblock(request: HttpRequest, username: str) -> HttpResponse:
    """Unblock an account."""
    viewer = request_viewer(request)
    account = _call(selectors.block_target_get, viewer=viewer, username=username)
    _call(services.block_delete, blocker=viewer, blocked=account)
    messages.success(request, f"You unblocked @{account.username}.")
    return _back(request, account, default=reverse("graph:blocked"))


@login_required
@require_POST
def mute(request: HttpRequest, username: str) -> HttpResponse:
    """Mute an account."""
    viewer = request_viewer(request)
    account = _account(viewer, username)
    _call(services.mute_create, muter=viewer, muted=account)
    messages.success(
        request, f"You muted @{account.username}. Their posts and stories leave your feed."
    )
    return _back(request, account)


@login_required
@require_POST
def unmute(request: HttpRequest, username: str) -> HttpResponse:
    """Unmute an account."""
    viewer = request_viewer(request)
    account = _account(viewer, username)
    _call(services.mute_delete, muter=viewer, muted=account)
    messages.success(request, f"You unmuted @{account.username}.")
    return _back(request, account)


@login_required
@require_POST
def follow_request_approve(request: HttpRequest, request_id: int) -> HttpResponse:
    """Approve a request to follow the viewer."""
    _call(services.follow_request_approve, owner=request_viewer(request), request_id=request_id)
    return redirect(safe_next(request) or "graph:follow_requests")


@login_required
@require_POST
def follow_request_deny(request: HttpRequest, request_id: int) -> HttpResponse:
    """Deny a request to follow the viewer."""
    _call(services.follow_request_deny, owner=request_viewer(request), request_id=request_id)
    return redirect(safe_next(request) or "graph:follow_requests")


# --- Helpers --------------------------------------------------------------------------------


def _call(function: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a service or selector; what the viewer may not see is the 404 page."""
    try:
        return function(**kwargs)
    except NotFound as error:
        raise Http404(error.message) from error
    except GlimpseError as error:  # following oneself: no button offers it
        raise BadRequest(error.message) from error


def _account(viewer: User | None, username: str) -> User:
    account: User = _call(selectors.account_get, viewer=viewer, username=username)
    return account


def _max_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("max_id")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404("No such page.") from None


def _back(request: HttpRequest, account: User, default: str | None = None) -> HttpResponse:
    """Go back where the form said, else to the account's profile."""
    return redirect(safe_next(request) or default or reverse("profile", args=[account.username]))


def _list_page(
    request: HttpRequest,
    viewer: User | None,
    account: User | None,
    edges: QuerySet[Any],
    attr: str,
    *,
    kind: str,
) -> HttpResponse:
    page: Page[Model] = paginate(edges, max_id=_max_id(request), limit=PAGE_SIZE)
    people: Sequence[User] = [getattr(edge, attr) for edge in page.items]
    relations = visibility.relations(viewer, people)
    views = [account_view_of(person) for person in people]
    rows = [(view, view.avatar(150), relations[view.id]) for view in views]
    context = {
        "kind": kind,
        "account": account,
        "is_own": account is not None and viewer is not None and viewer.pk == account.pk,
        "rows": rows,
        "next_max_id": page.next_max_id,
        "here": request.get_full_path(),
    }
    return render(request, "graph/account_list.html", context)
