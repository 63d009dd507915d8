"""Run Glimpse's production processes on this machine: web, websockets, jobs and schedule.

Honcho runs the Procfile: each line ``name: command`` is one process, run by the shell (which
expands ``${VARIABLES}`` from the environment given here) in a process group of its own, its
output prefixed with its name. The first process to stop, or Ctrl-C, stops the others (SIGTERM
to each group, SIGKILL after 5 s): a half-running service is worse than a stopped one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.utils import OperationalError
from honcho.environ import parse_procfile
from honcho.manager import Manager

DEFAULTS = {
    "GLIMPSE_WEB_BIND": "127.0.0.1:8000",
    "GLIMPSE_WS_HOST": "127.0.0.1",
    "GLIMPSE_WS_PORT": "8001",
}


class Command(BaseCommand):
    help = "Migrate, collect static files, then run every process of the Procfile together."

    def add_arguments(self, parser: Any) -> None:
        """Declare --procfile."""
        parser.add_argument("--procfile", default=str(settings.BASE_DIR / "Procfile"))

    def handle(self, *args: Any, **options: Any) -> None:
        """Prepare the database and static files, then run the processes until one stops."""
        if not settings.PRODUCTION:
            raise CommandError(
                "serve runs the production configuration: set GLIMPSE_ENV=production."
            )
        path = Path(options["procfile"])
        try:
            processes = parse_procfile(path.read_text()).processes
        except OSError as error:
            raise CommandError(f"The Procfile cannot be read: {error}") from error
        if not processes:
            raise CommandError(f"{path} names no process: write lines 'name: command'.")
        try:
            connection.ensure_connection()
        except OperationalError as error:
            raise CommandError(
                f"The database cannot be reached ({error}). Create it and set DATABASE_URL, "
                "e.g. createdb glimpse; DATABASE_URL=postgres://127.0.0.1:5432/glimpse"
            ) from error
        self.stdout.write("==> [1/3] Migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("==> [2/3] Collecting static files (compressed, hashed names)")
        call_command("collectstatic", interactive=False, verbosity=0)
        environ = {
            **DEFAULTS,
            "GLIMPSE_DATA_DIR": str(settings.DATA_DIR),
            **os.environ,
            # Named by the settings (from GLIMPSE_CELERY_QUEUE), for the workers of one queue.
            "GLIMPSE_CELERY_INTERACTIVE_QUEUE": settings.GLIMPSE_CELERY_INTERACTIVE_QUEUE,
            "GLIMPSE_CELERY_FEDERATION_QUEUE": settings.GLIMPSE_CELERY_FEDERATION_QUEUE,
        }
        if not environ.get("GLIMPSE_WEBSOCKET_URL"):
            # One machine, no load balancer: pages reach the websocket process on its own port.
            environ["GLIMPSE_WEBSOCKET_URL"] = (
                f"ws://{environ['GLIMPSE_WS_HOST']}:{environ['GLIMPSE_WS_PORT']}/ws/"
            )
        self.stdout.write(f"==> [3/3] Starting {', '.join(processes)} (Ctrl-C stops them all)")
        self.stdout.flush()
        sys.exit(procfile_run(processes=processes, environ=environ, cwd=settings.BASE_DIR))


def procfile_run(*, processes: Mapping[str, str], environ: Mapping[str, str], cwd: Path) -> int:
    """Run the commands together until one stops or a signal comes; return the exit code.

    The code is the first process's to stop, or 130 after Ctrl-C (143 after SIGTERM).
    """
    # Honcho relays each process's output from a forked child: none may share our connection.
    connections.close_all()
    manager = Manager()
    for name, command in processes.items():
        manager.add_process(name, command, env=dict(environ), cwd=str(cwd))
    manager.loop()
    return int(manager.returncode or 0)
