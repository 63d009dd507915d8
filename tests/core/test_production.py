"""Production settings pass Django's deployment checks with no warning."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GLIMPSE_"))}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
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
