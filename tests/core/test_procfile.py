"""The Procfile and `manage.py serve`, which runs it with honcho as `make serve` does."""

from __future__ import annotations

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from honcho.environ import parse_procfile

ROOT = Path(__file__).resolve().parents[2]

# Runs procfile_run on the Procfile given in argv[1] and exits with its code. In a process of
# its own: honcho takes over SIGINT and SIGTERM and forks its output relays.
RUN = """
import sys
from pathlib import Path
import django
django.setup()
from honcho.environ import parse_procfile
from glimpse.core.management.commands.serve import procfile_run
processes = parse_procfile(Path(sys.argv[1]).read_text()).processes
sys.exit(procfile_run(processes=processes, environ={"WHO": "world", "PATH": "/usr/bin:/bin"},
                      cwd=Path(sys.argv[1]).parent))
"""


def _words(command: str, environ: dict[str, str]) -> list[str]:
    """Return the words the shell makes of a Procfile command (as honcho has it run)."""
    done = subprocess.run(
        ["/bin/sh", "-c", f'set -- {command}; printf "%s\\0" "$@"'],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split("\0")[:-1]


def test_the_projects_procfile_names_every_production_process() -> None:
    environ = {
        "GLIMPSE_WEB_BIND": "127.0.0.1:8000",
        "GLIMPSE_WS_HOST": "127.0.0.1",
        "GLIMPSE_WS_PORT": "8001",
        "GLIMPSE_DATA_DIR": "var",
        "GLIMPSE_CELERY_INTERACTIVE_QUEUE": "celery.interactive",
        "GLIMPSE_CELERY_FEDERATION_QUEUE": "celery.federation",
    }
    processes = parse_procfile((ROOT / "Procfile").read_text()).processes
    entries = {name: _words(command, environ) for name, command in processes.items()}
    assert set(entries) == {"web", "websockets", "interactive", "worker", "federation", "beat"}
    assert entries["web"][:3] == ["gunicorn", "-c", "config/gunicorn.py"]
    assert entries["web"][-1] == "127.0.0.1:8000"
    assert "config.asgi:application" in entries["websockets"]
    assert entries["websockets"][entries["websockets"].index("--port") + 1] == "8001"
    assert entries["worker"][:4] == ["celery", "-A", "config", "worker"]
    assert "--queues" not in entries["worker"]  # it takes every queue in turn
    # A worker of its own for the jobs a person waits for: bulk work never holds them up.
    assert entries["interactive"][:4] == ["celery", "-A", "config", "worker"]
    queues = entries["interactive"][entries["interactive"].index("--queues") + 1]
    assert queues == "celery.interactive"
    assert entries["interactive"][entries["interactive"].index("--hostname") + 1] == (
        "interactive@%h"
    )
    assert entries["beat"][-1] == "var/celerybeat-schedule"
    # Federation's jobs wait on other servers: a pool of threads of its own.
    federation = entries["federation"]
    assert federation[federation.index("--queues") + 1] == "celery.federation"
    assert federation[federation.index("--pool") + 1] == "threads"


def _sleeper(pid_file: Path) -> str:
    """Return a command that notes its pid, then sleeps a minute (unless stopped)."""
    return f"echo $$ > {pid_file}; exec sleep 60"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A stopped child of ours that nobody reaped yet is a zombie: it runs no more.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split(") ", 1)[1][:1] != "Z"


def _wait_for(files: list[Path], seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while not all(f.exists() and f.read_text().strip() for f in files):
        assert time.monotonic() < deadline, "the processes did not start"
        time.sleep(0.1)
    return [int(f.read_text()) for f in files]


@pytest.fixture
def pids() -> Iterator[list[int]]:
    """Collect the pids of the test's sleepers, and kill any a failed test left behind."""
    found: list[int] = []
    yield found
    for pid in found:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _run(procfile: Path, **options: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.Popen(
        [sys.executable, "-c", RUN, str(procfile)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **options,
    )


def test_the_first_process_to_stop_stops_the_others(tmp_path: Path, pids: list[int]) -> None:
    pid_file = tmp_path / "sleeper.pid"
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        f"sleeper: {_sleeper(pid_file)}\n"
        f"quitter: until test -s {pid_file}; do sleep 0.1; done; echo bye ${{WHO}}; exit 3\n"
    )
    started = time.monotonic()
    process = _run(procfile)
    output, _ = process.communicate(timeout=60)
    pids.extend(_wait_for([pid_file], seconds=0))

    assert process.returncode == 3, output
    assert time.monotonic() - started < 30  # the sleeper was stopped, not waited for
    assert not _alive(pids[0])
    assert "quitter | bye world" in output  # its output, named, with $WHO from the environment
    assert "quitter stopped (rc=3)" in output
    assert "sending SIGTERM to sleeper" in output


def test_ctrl_c_stops_them_all(tmp_path: Path, pids: list[int]) -> None:
    files = [tmp_path / "one.pid", tmp_path / "two.pid"]
    procfile = tmp_path / "Procfile"
    procfile.write_text(f"one: {_sleeper(files[0])}\ntwo: {_sleeper(files[1])}\n")
    process = _run(procfile, start_new_session=True)
    try:
        pids.extend(_wait_for(files))
        # Settled: a person's Ctrl-C never comes while honcho is still starting its relays.
        time.sleep(1)
        # As a terminal does: SIGINT to the whole foreground group (the processes themselves
        # run in sessions of their own, so only honcho stops them).
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, output
    assert "SIGINT received" in output
    assert not any(_alive(pid) for pid in pids)


def test_serve_prepares_the_site_then_runs_the_procfile_with_its_defaults(
    tmp_path: Path,
) -> None:
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        "web: echo web on ${GLIMPSE_WEB_BIND}, pages to ${GLIMPSE_WEBSOCKET_URL},"
        " jobs on ${GLIMPSE_CELERY_INTERACTIVE_QUEUE}; exit 4\n"
        "other: exec sleep 60\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GLIMPSE_"))}
    env.update(
        GLIMPSE_ENV="production",
        GLIMPSE_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL="",
        REDIS_URL="",
        CELERY_BROKER_URL="memory://",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "serve", "--procfile", str(procfile)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 4, done.stdout + done.stderr
    assert "==> [3/3] Starting web, other (Ctrl-C stops them all)" in done.stdout
    assert (
        "web    | web on 127.0.0.1:8000, pages to ws://127.0.0.1:8001/ws/,"
        " jobs on celery.interactive"
    ) in done.stdout
    assert "sending SIGTERM to other" in done.stdout
    with closing(sqlite3.connect(tmp_path / "data" / "glimpse.sqlite3")) as database:
        (applied,) = database.execute("SELECT count(*) FROM django_migrations").fetchone()
    assert applied > 0  # migrated
    assert (tmp_path / "data" / "static" / "staticfiles.json").is_file()  # collected


def test_serve_refuses_a_procfile_that_names_nothing(tmp_path: Path, settings: Any) -> None:
    settings.PRODUCTION = True
    procfile = tmp_path / "Procfile"
    procfile.write_text("# nothing to run\njust a command\n")
    with pytest.raises(CommandError, match="names no process"):
        call_command("serve", procfile=str(procfile))


def test_serve_runs_only_the_production_configuration(settings: Any) -> None:
    settings.PRODUCTION = False
    with pytest.raises(CommandError, match="GLIMPSE_ENV=production"):
        call_command("serve")
