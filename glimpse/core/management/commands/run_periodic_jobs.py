"""Run every periodic job once, now (what Celery beat runs on a schedule at scale)."""

from typing import Any

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run each job of CELERY_BEAT_SCHEDULE once, in this process."

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the scheduled jobs one after the other and report what each did."""
        # The project's Celery app, made current by the config package at start-up.
        app = current_app
        app.loader.import_default_modules()
        schedule = settings.CELERY_BEAT_SCHEDULE
        for index, (name, entry) in enumerate(schedule.items(), start=1):
            result = app.tasks[str(entry["task"])].apply(throw=True).result
            self.stdout.write(f"[{index}/{len(schedule)}] {name}: {result}")
