"""The client API's pages outside its NinjaAPIs: nodeinfo, and its paths with a trailing slash
(included after both APIs under /api/v1/, so that it only sees what neither claimed)."""

from django.urls import path, re_path

from glimpse.mastodon import views

urlpatterns = [
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/<str:version>", views.nodeinfo_document, name="nodeinfo"),
    re_path(r"^(?P<path>api/v[12]/.+)/$", views.trailing_slash, name="client_api_slash"),
]
