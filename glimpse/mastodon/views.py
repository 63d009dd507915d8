"""nodeinfo: where the document is (``/.well-known/nodeinfo``), and the document itself;
and the streaming paths where they reach Django instead of the ASGI server's consumers."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.views.decorators.http import require_safe

from glimpse.core.site import absolute_url, federation_enabled
from glimpse.graph.selectors import accounts_active_counts
from glimpse.mastodon.entities.instance import host_of, nodeinfo, streaming_base
from glimpse.mastodon.errors import NOT_FOUND
from glimpse.posts.selectors import posts_live_count

VERSIONS = ("2.0", "2.1")


@require_safe
def nodeinfo_links(request: HttpRequest) -> JsonResponse:
    """Name the nodeinfo documents this server serves."""
    links = [
        {
            "rel": f"http://nodeinfo.diaspora.software/ns/schema/{version}",
            "href": absolute_url(f"/nodeinfo/{version}"),
        }
        for version in VERSIONS
    ]
    return JsonResponse({"links": links})


@require_safe
def nodeinfo_document(request: HttpRequest, version: str) -> JsonResponse:
    """Return the nodeinfo document of one schema version."""
    if version not in VERSIONS:
        raise Http404("No such nodeinfo version.")
    users = accounts_active_counts(days=(30, 180))
    body = nodeinfo(
        version=version, users=users, posts=posts_live_count(), federating=federation_enabled()
    )
    schema = f"http://nodeinfo.diaspora.software/ns/schema/{version}#"
    response = JsonResponse(body)
    response["Content-Type"] = f'application/json; profile="{schema}"'
    return response


def streaming_elsewhere(request: HttpRequest) -> HttpResponse:
    """Answer a streaming request that reached Django (the WSGI web processes, or a path the
    streaming consumers do not serve) at once, never with a response held open: a redirect
    to the streaming server when it has an address of its own, as Mastodon's web server
    answers, else Mastodon's 404."""
    base = urlsplit(streaming_base(host_of(request.get_host())))
    if base.netloc and base.netloc != request.get_host():
        scheme = "https" if base.scheme == "wss" else "http"
        return HttpResponsePermanentRedirect(f"{scheme}://{base.netloc}{request.get_full_path()}")
    return JsonResponse({"error": NOT_FOUND}, status=404)
