"""The production web server's configuration (config/gunicorn.py), started for real."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listeners(process: psutil.Process, port: int) -> list[int]:
    """Return the file descriptors on which a process listens on the port."""
    return [
        conn.fd
        for conn in process.net_connections(kind="tcp")
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port
    ]


def test_each_worker_listens_on_a_socket_of_its_own(tmp_path: Path) -> None:
    """With one socket shared by all workers, the first to wake takes several keep-alive
    connections and keeps them (docs/performance.md); a socket per worker lets the kernel
    spread connections among them."""
    port = _free_port()
    env = {
        **os.environ,
        "GLIMPSE_DATA_DIR": str(tmp_path),
        "GLIMPSE_WEB_BIND": f"127.0.0.1:{port}",
        "GLIMPSE_WEB_WORKERS": "2",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    break
            except OSError:
                assert server.poll() is None, "the server stopped while starting"
                assert time.monotonic() < deadline, "the server did not answer in 60 s"
                time.sleep(0.2)
        # One worker may answer before the master has forked the other: wait, boundedly,
        # until both are up and listening.
        master = psutil.Process(server.pid)
        while True:
            workers = master.children()
            if len(workers) == 2 and all(_listeners(worker, port) for worker in workers):
                break
            assert time.monotonic() < deadline, f"{len(workers)} of 2 workers listen after 60 s"
            time.sleep(0.2)
        assert _listeners(master, port) == []
        for worker in workers:
            assert len(_listeners(worker, port)) == 1
        inodes = {
            os.stat(f"/proc/{worker.pid}/fd/{_listeners(worker, port)[0]}").st_ino
            for worker in workers
        }
        assert len(inodes) == 2, "the workers share one socket"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
