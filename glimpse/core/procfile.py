"""Run the processes of a Procfile together, as `make serve` does on one machine.

Each line ``name: command`` starts one process (``$VARIABLES`` taken from the environment),
whose output is prefixed with its name. The first process to stop, or Ctrl-C, stops the
others: a half-running service is worse than a stopped one.
"""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")


@dataclass(frozen=True)
class Entry:
    """One line of a Procfile."""

    name: str
    argv: list[str]


def procfile_read(path: Path, environ: Mapping[str, str]) -> list[Entry]:
    """Parse a Procfile, expanding ``$NAME`` and ``${NAME}`` from ``environ``."""
    entries = []
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, command = line.partition(":")
        if not sep or not name.strip() or not command.strip():
            raise ValueError(f"{path}:{number}: expected 'name: command', got {raw!r}")
        missing = [word for word in _variables(command) if word not in environ]
        if missing:
            raise ValueError(f"{path}:{number}: set {', '.join(missing)} in the environment")
        expanded = _expand(command, environ)
        entries.append(Entry(name.strip(), shlex.split(expanded)))
    return entries


def procfile_run(entries: list[Entry], environ: Mapping[str, str], *, grace: float = 10.0) -> int:
    """Start every entry, relay their output, and stop them all when one stops or on a signal.

    Return the exit code of the process that stopped first (0 after Ctrl-C or SIGTERM).
    """
    width = max(len(entry.name) for entry in entries)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for entry in entries:
            process = subprocess.Popen(  # noqa: S603 - commands from the project's Procfile
                entry.argv,
                env=dict(environ),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us; we stop each in turn
            )
            processes[entry.name] = process
            label = f"{entry.name:<{width}} | "
            assert process.stdout is not None
            threading.Thread(target=_relay, args=(process.stdout, label), daemon=True).start()
            print(f"{label}started (pid {process.pid}): {shlex.join(entry.argv)}", flush=True)
        code = 0
        while not stopping.is_set():
            ended = {name: p.returncode for name, p in processes.items() if p.poll() is not None}
            if ended:
                name, code = next(iter(ended.items()))
                print(f"{name} stopped with code {code}: stopping the others", flush=True)
                break
            time.sleep(0.2)
        _stop_all(processes, grace)
        return code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_all(processes: Mapping[str, subprocess.Popen[bytes]], grace: float) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop within {grace:.0f} s: killing it", flush=True)
            process.kill()
            process.wait()


def _relay(stream: IO[bytes], label: str) -> None:
    for raw in iter(stream.readline, b""):
        sys.stdout.write(label + raw.decode(errors="replace"))
        sys.stdout.flush()


def _variables(command: str) -> list[str]:
    return [braced or bare for braced, bare in VARIABLE.findall(command)]


def _expand(command: str, environ: Mapping[str, str]) -> str:
    return VARIABLE.sub(lambda found: environ[found.group(1) or found.group(2)], command)
