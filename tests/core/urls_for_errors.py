"""URLs for the error-reporting tests only: views that fail, and the health check."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from glimpse.core import views as core_views


def fail(request: HttpRequest, number: int) -> HttpResponse:
    """Fail the way a bug does."""
    raise RuntimeError("a deliberate failure")


def database_down(request: HttpRequest) -> HttpResponse:
    """Fail the way a request does while PostgreSQL restarts."""
    raise OperationalError("server closed the connection unexpectedly")


handler500 = "glimpse.core.views.server_error"

urlpatterns = [
    path("fail/<int:number>", fail),
    path("down", database_down),
    path("api/glimpse/v1/down", database_down),
    path("healthz", core_views.healthz),
]
