"""The client API's pages outside /api/: nodeinfo."""

from django.urls import path

from glimpse.mastodon import views

urlpatterns = [
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/<str:version>", views.nodeinfo_document, name="nodeinfo"),
]
