"""Web pages of stories, under the ``stories`` namespace (before the profile catch-all)."""

from django.urls import path

from glimpse.stories import views

app_name = "stories"

urlpatterns = [
    path("stories/new/", views.story_new, name="new"),
    path("stories/tray/", views.tray, name="tray"),
    path("stories/highlights/<int:highlight_id>/", views.highlight_viewer, name="highlight"),
    path("stories/<str:username>/", views.account_viewer, name="viewer"),
    path("accounts/settings/close-friends/", views.close_friends, name="close_friends"),
]
