"""Inboxes: where other servers post activities. Each checks and keeps the activity and
answers 202; a job acts on it later (docs/federation.md, "Inboxes")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from glimpse.core.site import site_url
from glimpse.federation.inbox.receive import InboxRefused, activity_receive
from glimpse.federation.views import account_of, federating


@csrf_exempt
@require_POST
@federating
def shared_inbox(request: HttpRequest) -> HttpResponse:
    """Take an activity for any account of this server (or for the instance's actor)."""
    return _receive(request)


@csrf_exempt
@require_POST
@federating
def account_inbox(request: HttpRequest, username: str) -> HttpResponse:
    """Take an activity for one account of this server."""
    account_of(username)  # an account the public cannot see has no inbox
    return _receive(request)


def _receive(request: HttpRequest) -> HttpResponse:
    # The address the signature covers is this site's, whatever proxy the request came by.
    url = site_url() + request.get_full_path()
    try:
        activity_receive(
            method=request.method or "POST", url=url, headers=request.headers, body=request.body
        )
    except InboxRefused as refused:
        return HttpResponse(str(refused), status=refused.status, content_type="text/plain")
    return HttpResponse(status=202)
