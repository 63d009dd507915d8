"""Health checks: /healthz says the process is up, /readyz checks the database and cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection


def test_healthz(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_when_everything_is_reachable(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "cache": True}


@pytest.mark.django_db
def test_readyz_fails_when_the_cache_is_down(client, monkeypatch) -> None:
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "cache": False}


@pytest.mark.django_db
def test_readyz_fails_when_the_cache_server_is_unreachable(client, settings) -> None:
    # A real Redis client aimed at a closed port: the check must fail fast, not hang.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "cache": False},
    }


@pytest.mark.django_db
def test_readyz_fails_when_the_database_is_down(client, monkeypatch) -> None:
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": False, "cache": True},
    }
