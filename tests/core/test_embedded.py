"""The embedded default runs with no service at all: no database server, cache or broker."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import json, socket
    real_connect = socket.socket.connect

    def refuse_network(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"network connection attempted: {address}")
        return real_connect(self, address)

    socket.socket.connect = refuse_network

    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    client = Client()
    body = {"username": "solo", "email": "solo@example.com", "password": "quiet-lake-morning"}
    signup = client.post(
        "/api/glimpse/v1/auth/signup", json.dumps(body), content_type="application/json"
    )
    assert signup.status_code == 201, signup.content
    assert client.get("/api/glimpse/v1/accounts/solo").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.content
    print(settings.DATABASES["default"]["ENGINE"], settings.CACHES["default"]["BACKEND"],
          settings.CELERY_TASK_ALWAYS_EAGER, settings.CHANNEL_LAYERS["default"]["BACKEND"])
    """
)


def test_embedded_default_needs_no_service(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "PYTEST_XDIST_WORKER"}
    }
    data_dir = tmp_path / "fresh"  # does not exist yet, as on a new machine
    env.update(DJANGO_SETTINGS_MODULE="config.settings", GLIMPSE_DATA_DIR=str(data_dir))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    engine, cache, eager, layer = done.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert cache.endswith("LocMemCache")
    assert eager == "True"
    assert layer.endswith("InMemoryChannelLayer")
    assert (data_dir / "glimpse.sqlite3").exists()
