"""Web pages of notifications; included before the catch-all profile route."""

from django.urls import path

from glimpse.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notifications, name="list"),
    path("notifications/read/", views.read, name="read"),
    path(
        "accounts/settings/notifications/",
        views.preferences_update,
        name="preferences",
    ),
]
