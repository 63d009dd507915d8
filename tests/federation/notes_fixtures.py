"""Fixtures of the Note and outbox tests: federation on at an https address, and requests
as another server makes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

SITE = "https://glimpse.test"
AP_ACCEPT = "application/activity+json"
LD_ACCEPT = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def federating(settings: Any) -> None:
    """Turn federation on, at a fixed https address."""
    settings.GLIMPSE_SITE_URL = SITE
    settings.GLIMPSE_FEDERATION = True


@pytest.fixture
def fetch(db: None) -> Callable[..., Any]:
    """Return a function that GETs an absolute or site address as a remote server would."""
    client = Client()

    def get(url: str, accept: str = AP_ACCEPT, **extra: Any) -> Any:
        return client.get(site_path(url), headers={"accept": accept}, **extra)

    return get


def site_path(url: str) -> str:
    """Return the path and query of an absolute address on this site."""
    parts = urlsplit(url)
    assert not parts.netloc or f"{parts.scheme}://{parts.netloc}" == SITE, url
    return parts.path + (f"?{parts.query}" if parts.query else "")
