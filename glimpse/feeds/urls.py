"""Web pages of feeds: Explore and the suggestions card (before the catch-all profile route)."""

from django.urls import path

from glimpse.feeds import views

app_name = "feeds"

urlpatterns = [
    path("explore/", views.explore, name="explore"),
    path("suggested/", views.suggested, name="suggested"),
]
