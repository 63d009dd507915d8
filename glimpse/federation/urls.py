"""Federation's pages: discovery, actors, inboxes and objects (docs/federation.md)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from glimpse.federation import views, views_inbox, views_objects
from glimpse.federation.moves import views as moves_views

app_name = "federation"

urlpatterns: list[URLPattern | URLResolver] = [
    # Identity and discovery: WebFinger, host-meta, the actors and their collections.
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/host-meta", views.host_meta, name="host_meta"),
    path(".well-known/host-meta.json", views.host_meta_json, name="host_meta_json"),
    path("actor", views.instance_actor, name="instance_actor"),
    path("users/<str:username>", views.person, name="person"),
    path("users/<str:username>/followers", views.followers, name="followers"),
    path("users/<str:username>/following", views.following, name="following"),
    # Inboxes: every account's, the shared one, and the instance actor's.
    path("users/<str:username>/inbox", views_inbox.account_inbox, name="inbox"),
    path("inbox", views_inbox.shared_inbox, name="shared_inbox"),
    path("actor/inbox", views_inbox.shared_inbox, name="instance_inbox"),
    # Objects: a post's page answers its Note to ActivityPub requests (this route comes
    # before the posts app's, which it calls for every other request), an account's
    # outbox, and lasting addresses of posted media.
    path("p/<int:post_id>/", views_objects.post_page, name="post"),
    path("comments/<int:comment_id>", views_objects.comment_page, name="comment"),
    path("users/<str:username>/outbox", views_objects.outbox, name="outbox"),
    path(
        "federation/media/<int:media_id>/<str:name>.<str:ext>",
        views_objects.media,
        name="media",
    ),
    # Moving accounts: the settings page of aliases and moves.
    path("accounts/settings/moving/", moves_views.move_settings, name="move_settings"),
    path("accounts/settings/moving/aliases/", moves_views.alias_add, name="alias_add"),
    path(
        "accounts/settings/moving/aliases/<int:alias_id>/remove/",
        moves_views.alias_remove,
        name="alias_remove",
    ),
    path("accounts/settings/moving/move/", moves_views.move, name="move"),
]
