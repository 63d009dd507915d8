"""URL configuration: the API, the admin, health checks and the web pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from glimpse.accounts import urls as accounts_urls
from glimpse.accounts.oauth import urls as oauth_urls
from glimpse.api import api
from glimpse.core import views as core_views
from glimpse.core.metrics import metrics_view
from glimpse.core.views import media_file
from glimpse.feeds import views as feeds_views
from glimpse.mastodon import urls as mastodon_urls
from glimpse.mastodon.api import api as mastodon_api
from glimpse.mastodon.api import api_v2 as mastodon_api_v2
from glimpse.privacy import urls as privacy_urls
from glimpse.web import views as web_views
from glimpse.web import webapp

handler404 = "glimpse.core.views.not_found"
handler500 = "glimpse.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    # Two APIs with separate roots: Glimpse's own under its own prefix, and the Mastodon
    # client API alone at /api/v1/ and /api/v2/, the paths phone apps require.
    path("api/glimpse/v1/", api.urls),
    path("api/v1/", mastodon_api.urls),
    path("api/v2/", mastodon_api_v2.urls),
    path("", include(mastodon_urls)),
    path("", include(oauth_urls)),
    path("", include("glimpse.federation.urls")),
    # The installable app: at the root, so that the service worker's scope is the whole site.
    path("manifest.webmanifest", webapp.manifest, name="manifest"),
    path("sw.js", webapp.service_worker, name="service_worker"),
    path("offline/", webapp.offline, name="offline"),
    path("create/share/", webapp.share_target, name="share_target"),
    path("admin/", admin.site.urls),
    # Deleting the account is privacy's page, named among the account settings where it sits.
    path(
        "",
        include(
            (accounts_urls.urlpatterns + privacy_urls.account_urlpatterns, accounts_urls.app_name)
        ),
    ),
    path("", include("glimpse.media.urls")),
    path("", include("glimpse.posts.urls")),
    path("", include("glimpse.graph.urls")),
    path("", include("glimpse.feeds.urls")),
    path("", include("glimpse.feeds.reels_urls")),
    path("", include("glimpse.search.urls")),
    path("", include("glimpse.stories.urls")),
    path("", include("glimpse.notifications.urls")),
    path("", include("glimpse.messages.urls")),
    path("", include("glimpse.push.urls")),
    path("", include("glimpse.insights.urls")),
    path("", include("glimpse.privacy.urls")),
    path("", include("glimpse.imports.urls")),
    path("", include("glimpse.moderation.urls")),
    path("", include("glimpse.federation.domain_blocks.urls")),
    path("", feeds_views.home, name="home"),
    path("accounts/menu/", web_views.menu, name="menu"),
    path("<username>/reels/", web_views.profile_reels, name="profile_reels"),
    path("<username>/picture.jpg", web_views.profile_picture, name="profile_picture"),
    # Last: a profile answers any single path segment that nothing above claimed.
    path("<username>/", web_views.profile, name="profile"),
]

if not settings.GLIMPSE_S3_BUCKET:
    # Files in the local folder are served here, to the signed URLs the storage gives (in
    # production too: one machine needs no bucket); object storage serves its own.
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.*)$", media_file))
