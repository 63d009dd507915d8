"""Federation's pages: discovery, actors, inboxes and objects (docs/federation.md)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "federation"

urlpatterns: list[URLPattern | URLResolver] = []
