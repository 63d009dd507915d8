"""ASGI entry point: HTTP and websockets from one server process."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before anything imports models.
django_http = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.websockets import websocket_urlpatterns  # noqa: E402
from glimpse.mastodon.streaming.routing import StreamingRouter  # noqa: E402
from glimpse.realtime.auth import TokenAuthMiddleware  # noqa: E402

websockets = URLRouter(websocket_urlpatterns)

application = ProtocolTypeRouter(
    {
        # The client API's streaming (long-lived server-sent events, its health check) is
        # answered here; every other request goes to Django.
        "http": StreamingRouter(django_http, protocol="http"),
        # Mastodon's websocket authenticates by its own token rules. Glimpse's: a bearer
        # token (subprotocol or ?token=) authenticates by itself; otherwise the session
        # cookie does, and only from our own origins.
        "websocket": StreamingRouter(
            TokenAuthMiddleware(
                session_app=AllowedHostsOriginValidator(AuthMiddlewareStack(websockets)),
                token_app=websockets,
            ),
            protocol="websocket",
        ),
    }
)
