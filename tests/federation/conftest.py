"""Fixtures of the federation tests: the test ActivityPub server (remote_server.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from glimpse.accounts.models import User
from tests.federation.remote_server import (
    SITE,
    Peer,
    Remote,
    handler_for,
    peer,
    refuse_beyond_loopback,
)


@pytest.fixture
def remote(settings: Any, monkeypatch: pytest.MonkeyPatch, db: None) -> Iterator[Remote]:
    """Run the test server on a free loopback port, with federation on and reaching it."""
    state = Remote()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    settings.GLIMPSE_SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "glimpse.example"]
    settings.GLIMPSE_FEDERATION = True
    settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = [state.port]
    settings.GLIMPSE_FEDERATION_HOSTS = {"remote.test": "127.0.0.1", "other.test": "127.0.0.1"}
    settings.GLIMPSE_FEDERATION_FETCH_TIMEOUT = 5.0
    settings.GLIMPSE_FEDERATION_FETCH_DEADLINE = 10.0
    tried = refuse_beyond_loopback(monkeypatch)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert tried == []


@pytest.fixture
def alice(remote: Remote) -> Peer:
    """alice, an account of the test server (shaped as Mastodon's), with her keys."""
    return peer(remote, "alice")


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    """ana, an account of this server."""
    user: User = make_user("ana")
    return user
