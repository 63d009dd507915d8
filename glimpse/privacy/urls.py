"""Web pages of people's own data, under the ``privacy`` namespace."""

from django.urls import path

from glimpse.privacy import views

app_name = "privacy"

urlpatterns = [
    path("accounts/settings/data/", views.export_request, name="export_request"),
    path("accounts/settings/data/panel/", views.export_panel, name="export_panel"),
    path(
        "accounts/settings/data/download/<str:token>/",
        views.export_download,
        name="export_download",
    ),
]
