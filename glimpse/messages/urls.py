"""Web pages of direct messages, under the ``messages`` namespace (before the profile
catch-all): the inbox, requests, a conversation and its details, a new message, the
"Send to…" sheet and one's messaging settings.

Everything lives under ``direct/`` or ``accounts/``, reserved names, so that no username
can shadow these pages.
"""

from django.urls import path

from glimpse.messages import views

app_name = "messages"

urlpatterns = [
    path("direct/inbox/", views.inbox, name="inbox"),
    path("direct/requests/", views.requests, name="requests"),
    path("direct/new/", views.new, name="new"),
    path("direct/send/", views.send_to, name="send_to"),
    path("direct/with/<str:username>/", views.with_account, name="with"),
    path("direct/t/<int:conversation_id>/", views.conversation, name="conversation"),
    path("direct/t/<int:conversation_id>/older/", views.older, name="older"),
    path("direct/t/<int:conversation_id>/m/<int:message_id>/", views.message, name="message"),
    path("direct/t/<int:conversation_id>/send/", views.send, name="send"),
    path("direct/t/<int:conversation_id>/accept/", views.accept, name="accept"),
    path("direct/t/<int:conversation_id>/block/", views.block, name="block"),
    path("direct/t/<int:conversation_id>/delete/", views.delete, name="delete"),
    path("direct/t/<int:conversation_id>/details/", views.details, name="details"),
    path("direct/t/<int:conversation_id>/rename/", views.rename, name="rename"),
    path("direct/t/<int:conversation_id>/mute/", views.mute, name="mute"),
    path("direct/t/<int:conversation_id>/leave/", views.leave, name="leave"),
    path("direct/t/<int:conversation_id>/members/", views.members_add, name="members_add"),
    path(
        "direct/t/<int:conversation_id>/members/<str:username>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "direct/t/<int:conversation_id>/members/<str:username>/admin/",
        views.member_admin,
        name="member_admin",
    ),
    path("accounts/messaging/", views.messaging_settings, name="settings"),
]
