"""The Mastodon client API: a second API under /api/v1/ and /api/v2/, with Mastodon's paths
and errors.

It has those roots to itself: Glimpse's own API lives under /api/glimpse/v1/, so any path
Mastodon defines can be answered here, and a path this API does not answer is a 404.
"""

from ninja import NinjaAPI

from glimpse.core.api import OrjsonRenderer
from glimpse.mastodon.errors import install_mastodon_errors
from glimpse.mastodon.routers import (
    account_actions,
    accounts,
    domain_blocks,
    instance,
    markers,
    media,
    notifications,
    own_lists,
    posting,
    reports,
    scheduled,
    search,
    startup,
    statuses,
    suggestions,
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
    # Glimpse's API documents itself at /api/glimpse/v1/docs; this one follows Mastodon's.
    docs_url=None,
    openapi_url=None,
)
install_mastodon_errors(api)
api.add_router("/", apps_router)
api.add_router("/", preferences_router)
api.add_router("/", instance.router)
api.add_router("/", accounts.router)
api.add_router("/", account_actions.router)
api.add_router("/", timelines.router)
api.add_router("/", statuses.router)
api.add_router("/", posting.router)
api.add_router("/", scheduled.router)
api.add_router("/", media.router)
api.add_router("/", own_lists.router)
api.add_router("/", domain_blocks.router)
api.add_router("/", reports.router)
api.add_router("/", suggestions.router)
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
api_v2.add_router("/", suggestions.router_v2)
api_v2.add_router("/", media.router_v2)
api_v2.add_router("/", notifications.router_v2)
