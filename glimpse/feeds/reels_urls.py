"""The Reels page, under the ``reels`` namespace (``reels`` is a reserved username)."""

from django.urls import path

from glimpse.feeds import reels_views

app_name = "reels"

urlpatterns = [
    path("reels/", reels_views.feed, name="feed"),
]
