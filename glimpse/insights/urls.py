"""Web pages of insights; included before the catch-all profile route."""

from django.urls import path

from glimpse.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.account, name="account"),
    path("insights/posts/<int:post_id>/", views.post, name="post"),
]
