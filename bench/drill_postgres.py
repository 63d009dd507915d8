"""A PostgreSQL server of the drill's own, in a temporary folder, that it may stop and start.

The restart drill must never touch a database server it did not start, so it makes one with
`initdb` (trust authentication, 127.0.0.1 only) and drives it with `pg_ctl`. PostgreSQL
refuses to run as root: as root, the server runs as the ``postgres`` system account.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


class DrillPostgres:
    """One throwaway PostgreSQL cluster on a port of 127.0.0.1."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.bin = _binaries()
        self.owner = "postgres" if os.geteuid() == 0 else None
        self.folder = Path(tempfile.mkdtemp(prefix="glimpse-drill-pg-"))
        self.data = self.folder / "data"
        if self.owner:
            account = pwd.getpwnam(self.owner)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.folder.chmod(0o700)

    @property
    def url(self) -> str:
        """Return the URL of the drill's database on this server."""
        user = self.owner or pwd.getpwuid(os.geteuid()).pw_name
        return f"postgres://{user}@127.0.0.1:{self.port}/glimpse_drill"

    def create(self) -> None:
        """Initialise the cluster, start it and create the drill's database."""
        self._run("initdb", "-D", str(self.data), "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        self._options = options
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "glimpse_drill")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            self._options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        """Stop the server at once, as a crash or a failover would (fast shutdown)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        """Stop the server if it runs and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.bin / program), *arguments]
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)  # noqa: S603


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl is None:
        raise SystemExit("the restart drill needs PostgreSQL's server programs (initdb, pg_ctl)")
    return Path(pg_ctl).parent
