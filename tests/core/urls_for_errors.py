"""URLs for the error-reporting tests only: a view that fails, and the health check."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from glimpse.core import views as core_views


def fail(request: HttpRequest, number: int) -> HttpResponse:
    """Fail the way a bug does."""
    raise RuntimeError("a deliberate failure")


urlpatterns = [
    path("fail/<int:number>", fail),
    path("healthz", core_views.healthz),
]
