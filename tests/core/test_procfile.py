"""The Procfile runner behind `make serve`: parsing, and stopping everything together."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from glimpse.core.procfile import Entry, procfile_read, procfile_run

ROOT = Path(__file__).resolve().parents[2]


def test_the_projects_procfile_names_every_production_process() -> None:
    environ = {
        "GLIMPSE_WEB_BIND": "127.0.0.1:8000",
        "GLIMPSE_WS_HOST": "127.0.0.1",
        "GLIMPSE_WS_PORT": "8001",
        "GLIMPSE_DATA_DIR": "var",
        "GLIMPSE_CELERY_INTERACTIVE_QUEUE": "celery.interactive",
    }
    entries = {entry.name: entry.argv for entry in procfile_read(ROOT / "Procfile", environ)}
    assert set(entries) == {"web", "websockets", "interactive", "worker", "beat"}
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
    assert entries["beat"][-1] == "var/celerybeat-schedule"


def test_a_missing_variable_or_a_bad_line_is_named(tmp_path: Path) -> None:
    procfile = tmp_path / "Procfile"
    procfile.write_text("# comment\n\nweb: serve --port $PORT\n")
    with pytest.raises(ValueError, match="set PORT in the environment"):
        procfile_read(procfile, {})
    assert procfile_read(procfile, {"PORT": "9"}) == [Entry("web", ["serve", "--port", "9"])]
    procfile.write_text("just a command\n")
    with pytest.raises(ValueError, match="Procfile:1: expected 'name: command'"):
        procfile_read(procfile, {})


def test_the_first_process_to_stop_stops_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "still-running"
    sleeper = (
        "import pathlib, time\n"
        f"pathlib.Path({str(marker)!r}).write_text('x')\n"
        "time.sleep(60)\n"
        f"pathlib.Path({str(marker)!r}).unlink()\n"
    )
    entries = [
        Entry("sleeper", [sys.executable, "-c", sleeper]),
        Entry(
            "quitter",
            [sys.executable, "-c", "import time, sys; time.sleep(1); print('bye'); sys.exit(3)"],
        ),
    ]
    started = time.monotonic()
    code = procfile_run(entries, {"PATH": "/usr/bin:/bin"}, grace=5)
    assert code == 3
    assert time.monotonic() - started < 15  # the sleeper was stopped, not waited for
    assert marker.exists()  # it was terminated before it could finish its sleep
    output = capsys.readouterr().out
    assert "quitter | bye" in output
    assert "quitter stopped with code 3: stopping the others" in output
