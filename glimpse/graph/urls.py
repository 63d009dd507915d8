"""Web pages of the social graph, under the ``graph`` namespace.

Included before the catch-all profile route (``<username>/``). The lists sit under the
profile (``<username>/followers/``); the viewer's own pages under ``accounts/``, whose name
is reserved, so no username can shadow them.
"""

from django.urls import path

from glimpse.graph import domain_views, views

app_name = "graph"

urlpatterns = [
    path("accounts/follow-requests/", views.follow_requests, name="follow_requests"),
    path(
        "accounts/follow-requests/<int:request_id>/approve/",
        views.follow_request_approve,
        name="follow_request_approve",
    ),
    path(
        "accounts/follow-requests/<int:request_id>/deny/",
        views.follow_request_deny,
        name="follow_request_deny",
    ),
    path("accounts/settings/blocked/", views.blocked, name="blocked"),
    path("accounts/settings/muted/", views.muted, name="muted"),
    path(
        "accounts/settings/blocked-domains/",
        domain_views.blocked_domains,
        name="blocked_domains",
    ),
    path(
        "accounts/settings/blocked-domains/unblock/",
        domain_views.unblock_domain,
        name="unblock_domain",
    ),
    path("<username>/followers/", views.followers, name="followers"),
    path("<username>/following/", views.following, name="following"),
    path("<username>/follow/", views.follow, name="follow"),
    path("<username>/unfollow/", views.unfollow, name="unfollow"),
    path("<username>/remove-follower/", views.follower_remove, name="follower_remove"),
    path("<username>/block/", views.block, name="block"),
    path("<username>/unblock/", views.unblock, name="unblock"),
    path("<username>/mute/", views.mute, name="mute"),
    path("<username>/unmute/", views.unmute, name="unmute"),
]
