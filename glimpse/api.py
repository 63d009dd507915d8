"""The Glimpse API: one NinjaAPI assembling the router of every app under /api/glimpse/v1/."""

from ninja import NinjaAPI

from glimpse.accounts.api import accounts_router, auth_router
from glimpse.core.api import OrjsonParser, OrjsonRenderer, install_error_handlers
from glimpse.federation.moves.api import router as moves_router
from glimpse.feeds.api import router as feeds_router
from glimpse.feeds.discovery_api import router as discovery_router
from glimpse.feeds.reels_api import router as reels_router
from glimpse.graph.api import router as graph_router
from glimpse.graph.domain_api import router as graph_domains_router
from glimpse.imports.api import router as imports_router
from glimpse.insights.api import router as insights_router
from glimpse.media.api import router as media_router
from glimpse.messages.api import router as messages_router
from glimpse.moderation.api import router as moderation_router
from glimpse.notifications.api import router as notifications_router
from glimpse.posts.api import router as posts_router
from glimpse.privacy.api import router as privacy_router
from glimpse.push.api import router as push_router
from glimpse.search.api import router as search_router
from glimpse.stories.api import router as stories_router

api = NinjaAPI(
    title="Glimpse API",
    version="1.0.0",
    description=(
        "Photo and video sharing. Authenticate with `Authorization: Bearer <token>` "
        "(from `POST /auth/token`) or the web session with its CSRF token. Ids are strings; "
        "lists take `limit` and `max_id` and answer `items` and `next_max_id`. Every error "
        'answers `{"error": {"code", "message", "fields"}}`.'
    ),
    urls_namespace="api",
    renderer=OrjsonRenderer(),
    parser=OrjsonParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
# Before the accounts router: its accounts/{username} would claim accounts/suggested.
api.add_router("/", discovery_router)
api.add_router("/accounts", accounts_router)
api.add_router("/accounts", privacy_router)
api.add_router("/accounts", moves_router)
api.add_router("/media", media_router)
api.add_router("/", graph_router)
api.add_router("/", graph_domains_router)
api.add_router("/", posts_router)
api.add_router("/", feeds_router)
api.add_router("/", reels_router)
api.add_router("/", search_router)
api.add_router("/", notifications_router)
api.add_router("/", push_router)
api.add_router("/", stories_router)
api.add_router("/", insights_router)
api.add_router("/", moderation_router)
api.add_router("/", messages_router)
api.add_router("/", imports_router)
