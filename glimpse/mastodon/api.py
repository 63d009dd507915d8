"""The Mastodon client API: a second API under /api/v1/, with Mastodon's paths and errors.

It is mounted before Glimpse's own API and claims only Mastodon's paths (none of which
Glimpse's API uses); every other /api/v1/ request falls through to Glimpse's.
"""

from ninja import NinjaAPI

from glimpse.core.api import OrjsonRenderer
from glimpse.mastodon.errors import install_mastodon_errors
from glimpse.mastodon.routers import (
    accounts,
    instance,
    markers,
    notifications,
    own_lists,
    search,
    startup,
    statuses,
    timelines,
    trends,
)
from glimpse.mastodon.routers.apps import router as apps_router
from glimpse.mastodon.routers.preferences import router as preferences_router
from glimpse.mastodon.routers.push import router as push_router

api = NinjaAPI(
    title="Glimpse: Mastodon client API",
    version="1.0.0",
    urls_namespace="mastodon",
    renderer=OrjsonRenderer(),
    # Glimpse's API documents itself at /api/v1/docs; this one follows Mastodon's docs.
    docs_url=None,
    openapi_url=None,
)
install_mastodon_errors(api)
api.add_router("/", apps_router)
api.add_router("/", preferences_router)
api.add_router("/", instance.router)
api.add_router("/", accounts.router)
api.add_router("/", timelines.router)
api.add_router("/", statuses.router)
api.add_router("/", own_lists.router)
api.add_router("/", startup.router)
api.add_router("/", push_router)
api.add_router("/", notifications.router)
api.add_router("/", markers.router)
api.add_router("/", trends.router)

# Mastodon's second version of a few resources, under /api/v2/.
api_v2 = NinjaAPI(
    title="Glimpse: Mastodon client API, v2",
    version="2.0.0",
    urls_namespace="mastodon_v2",
    renderer=OrjsonRenderer(),
    docs_url=None,
    openapi_url=None,
)
install_mastodon_errors(api_v2)
api_v2.add_router("/", instance.router_v2)
api_v2.add_router("/", startup.router_v2)
api_v2.add_router("/", search.router)
api_v2.add_router("/", notifications.router_v2)
