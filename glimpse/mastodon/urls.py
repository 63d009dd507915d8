"""The client API's pages outside its NinjaAPIs: nodeinfo, the streaming paths when they
reach Django, and each of its paths written with
a trailing slash, as Mastodon accepts them (some clients, Mastodon.py among them, write
``/api/v1/instance/``). Glimpse's own API keeps its single spelling."""

from django.urls import URLPattern, URLResolver, path, re_path

from glimpse.mastodon import views
from glimpse.mastodon.api import api, api_v2


def _slashed(root: str, patterns: list[URLPattern | URLResolver]) -> list[URLPattern]:
    """Return the patterns again under ``root``, each ending with a slash."""
    return [
        path(f"{root}{pattern.pattern}/", pattern.callback)
        for pattern in patterns
        if isinstance(pattern, URLPattern) and str(pattern.pattern)
    ]


urlpatterns = [
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/<str:version>", views.nodeinfo_document, name="nodeinfo"),
    *_slashed("api/v1/", api.urls[0]),
    *_slashed("api/v2/", api_v2.urls[0]),
    # The ASGI server's consumers answer these (glimpse/mastodon/streaming/routing.py); what
    # reaches Django is sent there or answered 404 at once.
    re_path(r"^api/v1/streaming(?:/.*)?$", views.streaming_elsewhere, name="streaming_elsewhere"),
]
