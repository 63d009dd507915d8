"""Web pages of posts, under the ``posts`` namespace.

Included before the catch-all profile route (``<username>/``). Posts live under ``p/``,
discovery under ``explore/`` and the viewer's own lists under ``accounts/``: all three
names are reserved, so no username can shadow them.
"""

from django.urls import path

from glimpse.posts import views

app_name = "posts"

_post = "p/<int:post_id>/"
_comment = _post + "comments/<int:comment_id>/"
_draft = "accounts/drafts/<int:draft_id>/"

urlpatterns = [
    path(_post, views.post_detail, name="detail"),
    path(_post + "preview.jpg", views.post_preview_image, name="preview_image"),
    path(_post + "likes/", views.post_likers, name="likers"),
    path(_post + "edit/", views.post_edit, name="edit"),
    path(_post + "delete/", views.post_delete, name="delete"),
    path(_post + "like/", views.like, name="like"),
    path(_post + "unlike/", views.unlike, name="unlike"),
    path(_post + "save/", views.save, name="save"),
    path(_post + "unsave/", views.unsave, name="unsave"),
    path(_post + "collections/new/", views.collection_new, name="collection_new"),
    path(
        _post + "collections/<int:collection_id>/add/",
        views.collection_add,
        name="collection_add",
    ),
    path(
        _post + "collections/<int:collection_id>/remove/",
        views.collection_remove,
        name="collection_remove",
    ),
    path(_post + "repost/", views.repost, name="repost"),
    path(_post + "unrepost/", views.unrepost, name="unrepost"),
    path(_post + "archive/", views.post_archive, name="archive"),
    path(_post + "unarchive/", views.post_unarchive, name="unarchive"),
    path(_post + "pin/", views.post_pin, name="pin"),
    path(_post + "unpin/", views.post_unpin, name="unpin"),
    path(_post + "commenting/off/", views.commenting_off, name="commenting_off"),
    path(_post + "commenting/on/", views.commenting_on, name="commenting_on"),
    path(_post + "like-count/hide/", views.like_count_hide, name="like_count_hide"),
    path(_post + "like-count/show/", views.like_count_show, name="like_count_show"),
    path(_post + "comments/", views.comments, name="comments"),
    path(_comment + "replies/", views.replies, name="replies"),
    path(_comment + "like/", views.comment_like, name="comment_like"),
    path(_comment + "unlike/", views.comment_unlike, name="comment_unlike"),
    path(_comment + "delete/", views.comment_delete, name="comment_delete"),
    path(_comment + "pin/", views.comment_pin, name="comment_pin"),
    path(_comment + "unpin/", views.comment_unpin, name="comment_unpin"),
    path("explore/tags/<str:name>/", views.tag, name="tag"),
    path("explore/places/<int:place_id>/", views.place, name="place"),
    path("accounts/saved/", views.saved, name="saved"),
    path("accounts/saved/<int:collection_id>/", views.collection, name="collection"),
    path("accounts/archive/", views.archive, name="archive_list"),
    path("accounts/drafts/", views.drafts, name="drafts"),
    path("accounts/scheduled/", views.scheduled, name="scheduled"),
    path(_draft + "publish/", views.draft_publish, name="draft_publish"),
    path(_draft + "schedule/", views.draft_schedule, name="draft_schedule"),
    path(_draft + "unschedule/", views.draft_unschedule, name="draft_unschedule"),
    path(_draft + "delete/", views.draft_delete, name="draft_delete"),
]
