"""Web pages of imports, under the ``imports`` namespace (sections of the account settings)."""

from django.urls import path

from glimpse.imports import views

app_name = "imports"

urlpatterns = [
    path("accounts/settings/import/", views.import_start, name="start"),
    path("accounts/settings/import/panel/", views.import_panel, name="panel"),
    path("accounts/settings/import/<int:import_id>/bio/", views.import_use_bio, name="use_bio"),
    path(
        "accounts/settings/import/<int:import_id>/picture/",
        views.import_use_picture,
        name="use_picture",
    ),
]
