"""Production settings pass Django's deployment checks with no warning, and send their headers."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], extra_env)


def _run(arguments: list[str], extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GLIMPSE_"))}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    done = _run_check(
        {
            "GLIMPSE_ENV": "production",
            "GLIMPSE_DATA_DIR": str(tmp_path),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "glimpse.example",
        }
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    done = _run_check({"GLIMPSE_ENV": "production", "GLIMPSE_DATA_DIR": str(tmp_path)})
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr


def test_development_defaults_are_not_production_safe_and_check_deploy_says_so(
    tmp_path: Path,
) -> None:
    done = _run_check({"GLIMPSE_DATA_DIR": str(tmp_path)})
    assert done.returncode != 0
    assert "security.W" in done.stdout + done.stderr


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "GLIMPSE_ENV": "production",
        "GLIMPSE_DATA_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "glimpse.example",
    }


def test_check_deploy_prints_no_warning_and_silences_none(tmp_path: Path) -> None:
    done = _run(["manage.py", "check", "--deploy"], _production_env(tmp_path))

    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues (0 silenced)." in done.stdout


# Asks the production configuration for two answers over HTTPS and prints their headers.
HEADERS_SCRIPT = """
import json
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="glimpse.example", HTTP_X_FORWARDED_PROTO="https")
paths = ["/healthz", "/api/glimpse/v1/openapi.json"]
print(json.dumps({path: dict(client.get(path).headers) for path in paths}))
"""


def test_production_answers_carry_the_security_headers(tmp_path: Path) -> None:
    # The embedded services: this test is about the settings, not about PostgreSQL or Redis.
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", **_production_env(tmp_path)}
    env.update(DATABASE_URL="", REDIS_URL="", CELERY_BROKER_URL="memory://")
    done = _run(["-c", HEADERS_SCRIPT], env)
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.splitlines()[-1])

    page, api = answers["/healthz"], answers["/api/glimpse/v1/openapi.json"]
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "connect-src 'self' wss://glimpse.example;" in page["Content-Security-Policy"]
    assert "script-src 'self';" in page["Content-Security-Policy"]
    assert page["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert api["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    # The general limit is on, at its production default (the health check is not counted).
    assert api["X-RateLimit-Remaining"] == "299"
    assert "X-RateLimit-Remaining" not in page
