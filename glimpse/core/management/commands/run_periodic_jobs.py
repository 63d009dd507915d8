"""Run every periodic job once, now (what Celery beat runs on a schedule at scale)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from config.celery import app


class Command(BaseCommand):
    help = "Run each job of CELERY_BEAT_SCHEDULE once, in this process."

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the scheduled jobs one after the other and report what each did."""
        app.loader.import_default_modules()
        schedule = settings.CELERY_BEAT_SCHEDULE
        for index, (name, entry) in enumerate(schedule.items(), start=1):
            result = app.tasks[str(entry["task"])].apply(throw=True).result
            self.stdout.write(f"[{index}/{len(schedule)}] {name}: {result}")
