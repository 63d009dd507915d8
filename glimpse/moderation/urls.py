"""Web pages of moderation, under the ``moderation`` namespace (before the profile catch-all)."""

from django.urls import path

from glimpse.moderation import views

app_name = "moderation"

urlpatterns = [
    path("report/<str:target_type>/<int:target_id>/", views.report, name="report"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/cases/<int:case_id>/", views.case_detail, name="case"),
    path("moderation/cases/<int:case_id>/act/", views.case_action, name="act"),
]
