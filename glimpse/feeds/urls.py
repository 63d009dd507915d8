"""Web pages of feeds: Explore. Included before the catch-all profile route."""

from django.urls import path

from glimpse.feeds import views

app_name = "feeds"

urlpatterns = [
    path("explore/", views.explore, name="explore"),
]
