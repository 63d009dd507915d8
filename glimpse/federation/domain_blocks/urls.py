"""The moderators' pages of other servers, under ``moderation/domains/``."""

from django.urls import path

from glimpse.federation.domain_blocks import views

app_name = "domain_blocks"

urlpatterns = [
    path("moderation/domains/", views.domain_blocks, name="list"),
    path("moderation/domains/<int:block_id>/", views.domain_block_edit, name="edit"),
    path("moderation/domains/<int:block_id>/remove/", views.domain_block_remove, name="remove"),
]
