"""URL configuration: the API, the admin, health checks and the web pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from glimpse.api import api
from glimpse.core import views as core_views

handler404 = "glimpse.core.views.not_found"
handler500 = "glimpse.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("glimpse.accounts.urls")),
]

if not settings.PRODUCTION:
    # The embedded default serves uploaded files itself; production uses object storage.
    urlpatterns.insert(
        0, re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
