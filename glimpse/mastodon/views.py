"""nodeinfo: where the document is (``/.well-known/nodeinfo``), and the document itself."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from glimpse.core.site import absolute_url
from glimpse.graph.selectors import accounts_active_counts
from glimpse.mastodon.entities.instance import nodeinfo
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
    body = nodeinfo(version=version, users=users, posts=posts_live_count())
    schema = f"http://nodeinfo.diaspora.software/ns/schema/{version}#"
    response = JsonResponse(body)
    response["Content-Type"] = f'application/json; profile="{schema}"'
    return response
