"""The limits of posts and the settings of insights come from the environment, like the rest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.GLIMPSE_CAPTION_MAX, settings.GLIMPSE_TOP_POSTS, "
    "settings.GLIMPSE_INSIGHTS_BATCH, settings.GLIMPSE_INSIGHTS_ROLLUP_DELAY)"
)


def _read(tmp_path: Path, extra_env: dict[str, str]) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GLIMPSE_"))}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings", "GLIMPSE_DATA_DIR": str(tmp_path)},
        **extra_env,
    )
    done = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_defaults_hold_without_the_environment(tmp_path: Path) -> None:
    assert _read(tmp_path, {}) == ["2200", "9", "5000", "600"]


def test_the_environment_sets_them(tmp_path: Path) -> None:
    values = _read(
        tmp_path,
        {
            "GLIMPSE_CAPTION_MAX": "500",
            "GLIMPSE_TOP_POSTS": "4",
            "GLIMPSE_INSIGHTS_BATCH": "77",
            "GLIMPSE_INSIGHTS_ROLLUP_DELAY": "30",
        },
    )
    assert values == ["500", "4", "77", "30"]
