"""A read-only admin for stories and highlights (changes go through the services)."""

from __future__ import annotations

from django.contrib import admin

from glimpse.core.admin import ReadOnlyAdmin
from glimpse.stories.models import Highlight, Story


@admin.register(Story)
class StoryAdmin(ReadOnlyAdmin[Story]):
    list_display = ("id", "author", "audience", "created_at", "expires_at", "view_count")
    list_filter = ("audience", "archived")
    raw_id_fields = ("author", "media")
    search_fields = ("author__username",)


@admin.register(Highlight)
class HighlightAdmin(ReadOnlyAdmin[Highlight]):
    list_display = ("id", "owner", "title", "created_at")
    raw_id_fields = ("owner", "cover")
    search_fields = ("owner__username", "title")
