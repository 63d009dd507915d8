"""Web pages of people's own data, under the ``privacy`` namespace.

Deleting the account keeps its name among the account settings, ``accounts:account_delete``:
config/urls.py mounts ``account_urlpatterns`` in the ``accounts`` namespace.
"""

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

account_urlpatterns = [
    path("accounts/settings/delete/", views.account_delete, name="account_delete"),
]
