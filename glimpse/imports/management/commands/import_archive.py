"""Import an archive into an account from the server: ``manage.py import_archive ana path.zip``.

The same import as the settings page's (same checks, limits and report), run in this
process with a progress bar instead of in the background.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError
from glimpse.imports.models import ArchiveImport
from glimpse.imports.services import archive_import_run, archive_import_start

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import an Instagram or Glimpse archive (a zip file) into an account."

    def add_arguments(self, parser: CommandParser) -> None:
        """Take a username and the archive's path."""
        parser.add_argument("username", help="the account to import into")
        parser.add_argument("path", help="the zip file: Instagram's JSON download or Glimpse's")

    def handle(self, *args: Any, **options: Any) -> None:
        """Store the archive, run its import with a progress bar, and print the report."""
        username = str(options["username"]).strip().lstrip("@").lower()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is named {username!r}.")
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            with path.open("rb") as upload:
                job = archive_import_start(
                    user=user, upload=upload, size_bytes=path.stat().st_size, queue=False
                )
        except GlimpseError as error:
            raise CommandError(error.message) from error
        archive_import_run(import_id=job.pk, progress=self._bar)
        job.refresh_from_db()
        self.stdout.write("")
        if job.status == ArchiveImport.Status.FAILED:
            raise CommandError(job.error)
        self._report(job)

    def _bar(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total} items", ending="")
        self.stdout.flush()

    def _report(self, job: ArchiveImport) -> None:
        report = job.report
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported from {job.source}: {report.get('posts', 0)} posts, "
                f"{report.get('stories', 0)} stories "
                f"({report.get('already', 0)} already there)."
            )
        )
        for skipped in report.get("skipped", []):
            self.stdout.write(self.style.WARNING(f"Skipped {skipped['item']}: {skipped['reason']}"))
        if job.offered_bio or job.offered_picture:
            self.stdout.write(
                "The archive's bio or picture is offered on the account's settings page."
            )
