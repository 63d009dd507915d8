"""Federation's pages: discovery (WebFinger, host-meta) and the actors' documents.

Each parses the request, asks one selector or document builder, and answers. Every page
here answers 404 while the server does not federate.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

import orjson
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.federation import actors, discovery
from glimpse.federation.negotiation import activity_response, wants_html
from glimpse.federation.switch import federation_enabled
from glimpse.graph import selectors as graph_selectors

_P = ParamSpec("_P")
_View = Callable[Concatenate[HttpRequest, _P], HttpResponse]


def federating(view: _View[_P]) -> _View[_P]:
    """Answer 404 instead of the view while the server does not federate."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: _P.args, **kwargs: _P.kwargs) -> HttpResponse:
        if not federation_enabled():
            raise Http404("This server does not federate.")
        return view(request, *args, **kwargs)

    return wrapped


@require_safe
@federating
def webfinger(request: HttpRequest) -> HttpResponse:
    """Answer which actor an ``acct:`` URI (or an actor's or profile's address) names."""
    resource = request.GET.get("resource", "")
    try:
        subject = discovery.resource_subject(resource)
    except discovery.MalformedResource as error:
        return _cors(HttpResponse(str(error), status=400, content_type="text/plain"))
    if subject is None:
        raise Http404("No actor of this server has this name.")
    if subject.username is not None:
        account = account_of(subject.username)
        subject = discovery.Subject(username=account.username)
    body = orjson.dumps(discovery.webfinger_document(subject))
    return _cors(HttpResponse(body, content_type=discovery.JRD_CONTENT_TYPE))


@require_safe
@federating
def host_meta(request: HttpRequest) -> HttpResponse:
    """Answer host-meta as XRD, pointing at WebFinger."""
    return _cors(HttpResponse(discovery.host_meta_xml(), content_type=discovery.XRD_CONTENT_TYPE))


@require_safe
@federating
def host_meta_json(request: HttpRequest) -> HttpResponse:
    """Answer host-meta as JRD, pointing at WebFinger."""
    body = orjson.dumps(discovery.host_meta_json())
    return _cors(HttpResponse(body, content_type=discovery.JRD_CONTENT_TYPE))


@require_safe
@federating
def person(request: HttpRequest, username: str) -> HttpResponse:
    """Answer a local account's actor; a browser is sent on to the profile page."""
    account = account_of(username)
    if wants_html(request):
        response: HttpResponse = redirect("profile", username=account.username)
        patch_vary_headers(response, ["Accept"])
        return response
    if account.username != username:
        return _canonical(actors.actor_path(account.username))
    return activity_response(actors.person_document(account))


@require_safe
@federating
def instance_actor(request: HttpRequest) -> HttpResponse:
    """Answer the instance's own actor."""
    return activity_response(actors.instance_actor_document())


@require_safe
@federating
def followers(request: HttpRequest, username: str) -> HttpResponse:
    """Answer how many accounts follow a local account (the list itself stays private)."""
    account = account_of(username)
    collection_id = actors.actor_id(account.username) + "/followers"
    document = actors.count_collection_document(
        collection_id=collection_id, total=account.follower_count
    )
    return activity_response(document)


@require_safe
@federating
def following(request: HttpRequest, username: str) -> HttpResponse:
    """Answer how many accounts a local account follows (the list itself stays private)."""
    account = account_of(username)
    collection_id = actors.actor_id(account.username) + "/following"
    document = actors.count_collection_document(
        collection_id=collection_id, total=account.following_count
    )
    return activity_response(document)


def account_of(username: str) -> User:
    """Return the local account of this name as the public sees it, or raise Http404."""
    # Anyone may fetch an actor: the account as an anonymous visitor sees it, so that a
    # banned, suspended or deactivated account is not found.
    if "@" in username:  # another server's account (name@host): its actor is over there
        raise Http404("No account with this username.")
    try:
        return graph_selectors.account_get(viewer=None, username=username)
    except NotFound as error:
        raise Http404(error.message) from error


def _canonical(path: str) -> HttpResponse:
    response = HttpResponseRedirect(path)
    patch_vary_headers(response, ["Accept"])
    return response


def _cors(response: HttpResponse) -> HttpResponse:
    # Discovery is public: web clients on other sites may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response
