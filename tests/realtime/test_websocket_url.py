"""Pages tell live.js where websockets are served when the server names a place."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_name_the_configured_websocket_url(user: Any, settings: Any) -> None:
    client = Client()
    client.force_login(user)
    assert "data-websocket-url" not in client.get("/").content.decode()
    settings.GLIMPSE_WEBSOCKET_URL = "ws://127.0.0.1:8001/ws/"
    page = client.get("/").content.decode()
    assert 'data-websocket-url="ws://127.0.0.1:8001/ws/"' in page
