"""Federation's object pages: a post or a comment as a Note, an account's outbox, and posted
media.

A post's page (``/p/<id>/``) is claimed here, ahead of the posts app's route: a request
whose ``Accept`` prefers ActivityPub gets the Note, any other the posts app's page, exactly
as before (with ``Vary: Accept`` while federation is on). Everything else here answers 404
while federation is off. Only what the public may see is served, until signed fetches are
verified: a private account's post, an archived or hidden one, is a 404 like a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from glimpse.core.errors import NotFound
from glimpse.core.opengraph import picture_redirect
from glimpse.federation.comment_notes import comment_note, comment_thread
from glimpse.federation.media_links import shared_rendition
from glimpse.federation.negotiation import activity_response, wants_activity_json
from glimpse.federation.notes import note_of
from glimpse.federation.outbox import outbox_of, outbox_page
from glimpse.federation.switch import federation_enabled
from glimpse.posts.presenters import comment_view_of
from glimpse.posts.selectors import post_permalink
from glimpse.posts.selectors.comments import MISSING_COMMENT, comment_get
from glimpse.posts.shown import post_shown
from glimpse.posts.views import post_detail

T = TypeVar("T")


def post_page(request: HttpRequest, post_id: int) -> HttpResponse:
    """Answer a post's Note to ActivityPub requests, and the post's page to the rest."""
    if not federation_enabled():
        return post_detail(request, post_id)
    if request.method in ("GET", "HEAD") and wants_activity_json(request):
        try:
            response = activity_response(note_of(post_shown(viewer=None, post_id=post_id)))
        except NotFound as error:
            # The same answer for a post that does not exist and one the public may not see.
            response = JsonResponse({"error": error.message}, status=404)
    else:
        response = post_detail(request, post_id)
    patch_vary_headers(response, ("Accept",))
    return response


@require_safe
def comment_page(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Answer a comment's Note to ActivityPub requests, and send browsers to its post."""
    _require_federation()
    comment = _call(comment_get, viewer=None, comment_id=comment_id)
    if comment.author.is_remote:
        raise Http404(MISSING_COMMENT)  # another server's comment: its id is there
    if wants_activity_json(request):
        view = comment_view_of(comment)
        response = activity_response(comment_note(view, comment_thread(view, post=comment.post)))
    else:
        response = redirect(post_permalink(post_id=comment.post_id))
    patch_vary_headers(response, ("Accept",))
    return response


@require_safe
def outbox(request: HttpRequest, username: str) -> HttpResponse:
    """Answer an account's outbox collection, or one of its pages (``?page=true``)."""
    _require_federation()
    if request.GET.get("page") != "true":
        return activity_response(_call(outbox_of, username=username))
    page = _call(
        outbox_page,
        username=username,
        max_id=_cursor(request, "max_id"),
        min_id=_cursor(request, "min_id"),
    )
    return activity_response(page)


@require_safe
def media(request: HttpRequest, media_id: int, name: str, ext: str) -> HttpResponse:
    """Send a Note's lasting media address on to the file's signed, expiring one."""
    _require_federation()
    key = request.GET.get("key", "")
    rendition = _call(shared_rendition, media_id=media_id, name=name, ext=ext, key=key)
    return picture_redirect(rendition["url"])


def _call(function: Callable[..., T], **kwargs: Any) -> T:
    """Call a selector; what the public may not see is a 404."""
    try:
        return function(**kwargs)
    except NotFound as error:
        raise Http404(error.message) from error


def _require_federation() -> None:
    """Answer 404 while this server does not federate."""
    if not federation_enabled():
        raise Http404("Not found.")


def _cursor(request: HttpRequest, name: str) -> int | None:
    """Return an id cursor from the query string; a malformed one is a missing page."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) < 2**63:
        raise Http404("No such page.")
    return int(raw)
