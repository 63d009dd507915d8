"""Two Glimpse servers on this machine, ``alpha.test`` and ``beta.test``, each its own process
with its own database and files, federating with each other over loopback.

Each runs the embedded default (SQLite, jobs in a thread pool) under uvicorn, with federation
on and the two host names mapped to 127.0.0.1. The test talks to them as their users would,
through the Glimpse API and the client API, and waits (bounded) for what their jobs do.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "two-servers-far-apart"
T = TypeVar("T")


@dataclass
class Server:
    """One running Glimpse: its name, port and data, and a client that reaches it."""

    name: str
    port: int
    data_dir: Path
    process: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def host(self) -> str:
        """Return the server's host, port included (the host of its handles)."""
        return f"{self.name}:{self.port}"

    @property
    def url(self) -> str:
        """Return the server's address."""
        return f"http://{self.host}"

    def handle(self, username: str) -> str:
        """Return the handle of a local account of this server, as others write it."""
        return f"{username}@{self.host}"

    def request(
        self, method: str, path: str, *, user: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """Send a request to this server (by loopback, under its name) as one of its users."""
        headers = {"Host": self.host, **kwargs.pop("headers", {})}
        if user is not None:
            headers["Authorization"] = f"Bearer {self.tokens[user]}"
        url = f"http://127.0.0.1:{self.port}{path}"
        return requests.request(method, url, headers=headers, timeout=30, **kwargs)

    def api(self, method: str, path: str, *, user: str, **kwargs: Any) -> Any:
        """Call Glimpse's own API as a user and return the JSON answer (2xx expected)."""
        response = self.request(method, "/api/glimpse/v1/" + path, user=user, **kwargs)
        assert response.ok, (self.name, method, path, response.text)
        return response.json() if response.content else None

    def client_api(self, method: str, path: str, *, user: str, **kwargs: Any) -> Any:
        """Call the client API (``/api/v1/...``) as a user and return the JSON answer."""
        response = self.request(method, "/api/" + path, user=user, **kwargs)
        assert response.ok, (self.name, method, path, response.text)
        return response.json() if response.content else None

    def sign_up(self, username: str, *, private: bool = False) -> None:
        """Create an account through the API and keep its token."""
        body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
        response = self.request("POST", "/api/glimpse/v1/auth/signup", json=body)
        assert response.status_code == 201, response.text
        self.tokens[username] = response.json()["token"]
        if private:
            self.api("PATCH", "accounts/me", user=username, json={"is_private": True})

    def run_periodic_jobs(self) -> None:
        """Run the periodic jobs once, as the scheduler would (purges due deletions too)."""
        done = subprocess.run(
            [sys.executable, "manage.py", "run_periodic_jobs"],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr


def free_port() -> int:
    """Return a port free on loopback at this moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _environment(server: Server, servers: list[Server]) -> dict[str, str]:
    """Return the environment of one server: the embedded default, federating with the others."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GLIMPSE_", "DATABASE_", "REDIS_", "CELERY_", "PYTEST_"))
        and key not in {"DJANGO_SETTINGS_MODULE", "MEDIA_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        GLIMPSE_DATA_DIR=str(server.data_dir),
        GLIMPSE_SITE_URL=server.url,
        DJANGO_ALLOWED_HOSTS=f"{server.name},127.0.0.1",
        GLIMPSE_FEDERATION="1",
        GLIMPSE_FEDERATION_ALLOW_LOOPBACK=",".join(str(s.port) for s in servers),
        GLIMPSE_FEDERATION_HOSTS=",".join(f"{s.name}=127.0.0.1" for s in servers),
        GLIMPSE_JOBS_IN_THREADS="1",
        GLIMPSE_RATE_SIGNUP="100",
        GLIMPSE_FEDERATION_FETCH_TIMEOUT="10",
        # Deleted at once when asked, so that the deletion reaches the other server in the test.
        GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS="0",
    )
    return env


@contextmanager
def two_servers(workdir: Path) -> Iterator[tuple[Server, Server]]:
    """Start alpha.test and beta.test on fresh copies of one migrated database; stop them."""
    template = workdir / "template"
    _migrate(template)
    servers = [
        Server(name=name, port=free_port(), data_dir=workdir / name)
        for name in ("alpha.test", "beta.test")
    ]
    for server in servers:
        shutil.copytree(template, server.data_dir)
        server.environment = _environment(server, servers)
    try:
        for server in servers:
            server.process = subprocess.Popen(
                [
                    sys.executable, "-m", "uvicorn", "config.asgi:application",
                    "--host", "127.0.0.1", "--port", str(server.port),
                    "--no-access-log", "--lifespan", "off",
                ],
                cwd=ROOT,
                env=server.environment,
                stdout=subprocess.DEVNULL,
                stderr=(workdir / f"{server.name}.log").open("wb"),
            )  # fmt: skip
        for server in servers:
            _wait_ready(server, workdir)
        yield servers[0], servers[1]
    finally:
        for server in servers:
            if server.process is not None:
                server.process.terminate()
                try:
                    server.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.process.kill()
                    server.process.wait(timeout=10)


def _migrate(data_dir: Path) -> None:
    """Make a migrated database in ``data_dir`` (copied for each server)."""
    env = _environment(Server("template.test", 0, data_dir), [])
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def _wait_ready(server: Server, workdir: Path, seconds: float = 60) -> None:
    """Wait until a server answers, or fail with its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.process is not None
        if server.process.poll() is not None:
            break
        try:
            if server.request("GET", "/readyz").status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    log = (workdir / f"{server.name}.log").read_text(errors="replace")
    raise AssertionError(f"{server.name} did not start:\n{log[-3000:]}")


def eventually(check: Callable[[], T | None], *, seconds: float = 30, what: str = "") -> T:
    """Return ``check()`` once it is truthy; fail after ``seconds`` (jobs run in the background).

    The wait is for the servers' background jobs, which deliver between the two; it ends as
    soon as the state is reached, and only a state never reached fails.
    """
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {seconds} s: {what or check}")
        time.sleep(0.2)
