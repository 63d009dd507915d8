"""Draw the installable app's icons into glimpse/static/icons/ (they are committed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from glimpse.web.app_icons import icons_write

ICONS_FOLDER = Path(__file__).resolve().parents[3] / "static" / "icons"


class Command(BaseCommand):
    help = "Draw the web app's icons (manifest, home screen, notification badge) with Pillow."

    def handle(self, *args: Any, **options: Any) -> None:
        """Write every icon and name the files."""
        for path in icons_write(ICONS_FOLDER):
            self.stdout.write(f"wrote {path.name}")
