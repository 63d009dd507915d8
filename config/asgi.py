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
from glimpse.realtime.auth import TokenAuthMiddleware  # noqa: E402

websockets = URLRouter(websocket_urlpatterns)

application = ProtocolTypeRouter(
    {
        "http": django_http,
        # A bearer token (subprotocol or ?token=) authenticates by itself; otherwise the
        # session cookie does, and only from our own origins.
        "websocket": TokenAuthMiddleware(
            session_app=AllowedHostsOriginValidator(AuthMiddlewareStack(websockets)),
            token_app=websockets,
        ),
    }
)
