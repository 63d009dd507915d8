"""Web pages of stories, under the ``stories`` namespace (before the profile catch-all).

The archive and the highlight editor live under ``accounts/``, a reserved name, so that no
username can shadow them.
"""

from django.urls import path

from glimpse.stories import views

app_name = "stories"

urlpatterns = [
    path("stories/new/", views.story_new, name="new"),
    path("stories/tray/", views.tray, name="tray"),
    path("stories/highlights/<int:highlight_id>/", views.highlight_viewer, name="highlight"),
    path("stories/<str:username>/", views.account_viewer, name="viewer"),
    path("accounts/archive/stories/", views.archive, name="archive"),
    path("accounts/archive/stories/<int:story_id>/", views.archive_story, name="archive_story"),
    path("accounts/highlights/new/", views.highlight_new, name="highlight_new"),
    path(
        "accounts/highlights/<int:highlight_id>/edit/",
        views.highlight_edit,
        name="highlight_edit",
    ),
    path(
        "accounts/highlights/<int:highlight_id>/delete/",
        views.highlight_delete,
        name="highlight_delete",
    ),
    path("accounts/settings/close-friends/", views.close_friends, name="close_friends"),
]
