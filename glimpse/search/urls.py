"""The search page, under the ``search`` namespace (``search`` is a reserved username)."""

from django.urls import path

from glimpse.search import views

app_name = "search"

urlpatterns = [path("search/", views.search_page, name="page")]
