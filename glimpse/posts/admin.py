"""A read-only admin for posts, comments, hashtags and places.

Changes go through the services, which keep the counters exact; moderation actions that
call them arrive with the moderation app.
"""

from __future__ import annotations

from django.contrib import admin

from glimpse.core.admin import ReadOnlyAdmin
from glimpse.posts.models import Comment, Hashtag, Place, Post


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin[Post]):
    list_display = (
        "id",
        "author",
        "kind",
        "created_at",
        "like_count",
        "comment_count",
        "view_count",
        "is_archived",
    )
    list_filter = ("kind", "is_archived", "comments_enabled")
    search_fields = ("author__username", "caption")
    raw_id_fields = ("author", "place")
    ordering = ("-id",)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin[Comment]):
    list_display = ("id", "author", "post", "created_at", "like_count", "reply_count")
    search_fields = ("author__username", "text")
    raw_id_fields = ("author", "post", "parent")
    ordering = ("-id",)


@admin.register(Hashtag)
class HashtagAdmin(ReadOnlyAdmin[Hashtag]):
    list_display = ("name", "post_count", "created_at")
    search_fields = ("name",)
    ordering = ("-post_count",)


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin[Place]):
    list_display = ("name", "address", "lat", "lng", "post_count")
    search_fields = ("search_name", "address")
    ordering = ("-post_count",)
