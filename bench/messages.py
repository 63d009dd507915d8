"""Direct messages under load: 1,000 open websockets, messages sent through the API at a
steady rate, and the time from send to the receiving members' sockets.

`python -m bench messages` makes a database of its own (the embedded default's SQLite, made
afresh under GLIMPSE_DATA_DIR/messages; a PostgreSQL database when BENCH_MESSAGES_DATABASE_URL
names a server), 1,000 accounts with API tokens paired into one-to-one conversations, 20
groups of 8 among them, and one more account with a full inbox. Then it starts the servers
on 127.0.0.1 (BENCH_MESSAGES_PORT and the next one, else free ports) as the product runs:

- without REDIS_URL, as `make run`: one uvicorn process for HTTP and websockets, with the
  in-memory channel layer (which only reaches the sockets of its own process);
- with REDIS_URL, as `make serve`: gunicorn (config/gunicorn.py, 2 workers) for HTTP and one
  uvicorn process for the websockets, through the Redis channel layer.

Jobs (a message's push to members with no page open; no account here has a device) run in
the process that queues them. It measures:

- the inbox page (20 conversations) and a page of 20 messages, each timed against the bare
  JSON view (`/healthz`) in the same run, one request at a time on a kept-alive connection;
- with 1,000 websockets open, one per account, messages sent through the API at
  BENCH_MESSAGES_RATE a second (20) for BENCH_MESSAGES_SECONDS (30), to the conversations in
  turn: the delay from starting each send to each other member's socket receiving its
  ``message.new`` (p50, p95, p99; a delivery that never comes counts as infinitely late), and
  the servers' CPU time per message.

Only 127.0.0.1 is contacted; the servers are stopped by their PIDs at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bench.drill import process_group_stop
from bench.feed import free_port, wait_ready
from bench.harness import RESULTS_DIR, Result, compare, report
from bench.messages_load import getter, load

SOCKETS = int(os.environ.get("BENCH_MESSAGES_SOCKETS", 1_000))
RATE = float(os.environ.get("BENCH_MESSAGES_RATE", 20))
SECONDS = float(os.environ.get("BENCH_MESSAGES_SECONDS", 30))
GROUP_SIZE, GROUPS = 8, 20
PAGE_REQUESTS = 30  # requests per timed round of a page and of its baseline
P99_TARGET_MS = 100.0
DATABASE = "glimpse_bench_messages"
ROOT = Path(__file__).resolve().parent.parent


def run() -> list[Result]:
    """Prepare the data, start the servers, time the pages and the load, stop them, report."""
    started = time.monotonic()
    _raise_open_files_limit()
    env = server_env()
    layer = "Redis" if env.get("REDIS_URL") else "in-memory"
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"  {database}, {layer} channel layer; preparing {SOCKETS:,} accounts...", flush=True)
    plan = _child(env, "prepare")
    first = int(os.environ.get("BENCH_MESSAGES_PORT", 0))
    http_port, ws_port = (first, first + 1) if first else (free_port(), free_port())
    servers = _servers(env, http_port, ws_port if layer == "Redis" else http_port)
    try:
        for port in {http_port, ws_port if layer == "Redis" else http_port}:
            wait_ready(port)
        base = f"http://127.0.0.1:{http_port}"
        pages = _pages(base, plan)
        print(f"  opening {SOCKETS:,} websockets, then {RATE:g} messages/s for {SECONDS:g} s")
        figures = asyncio.run(
            load(
                base,
                plan,
                sockets=SOCKETS,
                rate=RATE,
                seconds=SECONDS,
                sockets_base=f"http://127.0.0.1:{ws_port if layer == 'Redis' else http_port}",
                server_cpu=lambda: _cpu_seconds([s.pid for s in servers.values()]),
            )
        )
    finally:
        for server in servers.values():
            process_group_stop(server)
    figures.update(
        layer=layer,
        database=database,
        servers=" + ".join(servers),
        seconds=round(time.monotonic() - started, 1),
        machine=f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
    )
    _print(figures)
    results = [*pages, *_targets(figures)]
    report(results, suite="messages")
    (RESULTS_DIR / "messages_figures.json").write_text(json.dumps(figures, indent=2) + "\n")
    return results


def server_env() -> dict[str, str]:
    """Return the environment of the benchmark's server and its data step."""
    env = dict(os.environ)
    env.pop("GLIMPSE_TESTING", None)
    env.pop("DATABASE_URL", None)  # never someone's own database: ours, made afresh
    data_dir = Path(os.environ.get("GLIMPSE_DATA_DIR", ROOT / "var" / "bench")) / "messages"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    named = os.environ.get("BENCH_MESSAGES_DATABASE_URL", "")
    if named:
        env["DATABASE_URL"] = _fresh_postgres(named)
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        # redis-py's asyncio pools refuse (rather than wait) past 100 connections: 1,000
        # sockets joining their groups at once need a larger pool.
        parts = urlsplit(redis_url)
        query = dict(parse_qsl(parts.query))
        query.setdefault("max_connections", "2000")
        env["REDIS_URL"] = urlunsplit(parts._replace(query=urlencode(query)))
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        GLIMPSE_DATA_DIR=str(data_dir.resolve()),
        GLIMPSE_CACHE_PREFIX=f"bench-messages-{secrets.token_hex(4)}",
        # Jobs (a message's push to members with no page open) run in the process, as on
        # the embedded default; no account here has a device, so each is one lookup.
        CELERY_BROKER_URL="memory://",
        CELERY_TASK_ALWAYS_EAGER="1",
        GLIMPSE_RATE_REQUESTS="1000000",
    )
    return env


def _fresh_postgres(url: str) -> str:
    """Drop and create the benchmark's database on the named server; return its URL."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


def _child(env: dict[str, str], step: str) -> dict[str, Any]:
    """Run a step of this module in a child process with the server's environment."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "plan.json"
        subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bench.messages", step, str(out)], env=env, cwd=ROOT, check=True
        )
        plan: dict[str, Any] = json.loads(out.read_text())
        return plan


def _servers(
    env: dict[str, str], http_port: int, ws_port: int
) -> dict[str, subprocess.Popen[bytes]]:
    """Start the servers as `make run` does (one uvicorn process for HTTP and websockets),
    or, with Redis, as `make serve` does (gunicorn for HTTP, uvicorn for the websockets)."""
    uvicorn = [
        sys.executable, "-m", "uvicorn", "config.asgi:application",
        "--host", "127.0.0.1", "--port", str(ws_port),
        "--no-access-log", "--log-level", "warning", "--lifespan", "off",
        # As the Procfile: small JSON events gain nothing from compression.
        "--ws-per-message-deflate", "false",
    ]  # fmt: skip
    commands = {"uvicorn (HTTP and websockets)": uvicorn}
    if ws_port != http_port:
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"]
        commands = {
            "gunicorn (HTTP, 2 workers x 4 threads)": [
                *gunicorn, "--bind", f"127.0.0.1:{http_port}", "--workers", "2"
            ],
            "uvicorn (websockets)": uvicorn,
        }  # fmt: skip
    return {
        name: subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            command, env=env, cwd=ROOT, start_new_session=True
        )
        for name, command in commands.items()
    }


def _pages(base: str, plan: dict[str, Any]) -> list[Result]:
    """Time the inbox and a page of messages against the bare view, interleaved."""
    token, times = plan["viewer_token"], PAGE_REQUESTS
    bare = getter(base, "/healthz", times=times)
    return [
        compare(
            f"{name} (one request at a time)",
            getter(base, plan[path], token, times=times),
            baseline_name="bare JSON view",
            baseline=bare,
            operations=times,
            rounds=5,
        )
        for name, path in (
            ("inbox page, 20 conversations", "inbox_path"),
            ("page of 20 messages", "page_path"),
        )
    ]


def _targets(figures: dict[str, Any]) -> list[Result]:
    def against(name: str, value: float, budget: float | None) -> Result:
        return Result(name, "target", value, P99_TARGET_MS, value / P99_TARGET_MS, budget, "ms")

    return [
        against("send -> delivered p50", figures["p50_ms"], None),
        against("send -> delivered p95", figures["p95_ms"], None),
        against("send -> delivered p99", figures["p99_ms"], 1.0),
    ]


def _print(f: dict[str, Any]) -> None:
    print(
        f"\n  {f['sockets']:,} sockets open in {f['open_seconds']:.1f} s ({f['database']}, "
        f"{f['layer']} channel layer); {f['messages']} messages in {f['sending_seconds']:.1f} s "
        f"to {f['deliveries']} receiving sockets, {f['missing']} missing"
    )
    print(
        f"  send -> delivered: p50 {f['p50_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms, "
        f"p99 {f['p99_ms']:.1f} ms, max {f['max_ms']:.1f} ms (one-to-one p99 "
        f"{f['direct_p99_ms']:.1f} ms, group of {GROUP_SIZE} p99 {f['group_p99_ms']:.1f} ms); "
        f"the send request alone p50 {f['request_p50_ms']:.1f} ms, p99 {f['request_p99_ms']:.1f} ms"
    )
    print(
        f"  the server's CPU while sending: {f['server_cpu_ms_per_message']:.1f} ms a message; "
        f"whole run {f['seconds']} s on {f['machine']}"
    )


def _cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user and system) used so far by these processes and their
    children (gunicorn's workers)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    ticks = sum(used for pid, (parent, used) in stats.items() if pid in pids or parent in pids)
    return ticks / os.sysconf("SC_CLK_TCK")


def _raise_open_files_limit() -> None:
    """Raise this process's (and so the server's) open files limit up to what is allowed."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192 if hard == resource.RLIM_INFINITY else min(8192, hard)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _prepare(out: Path) -> None:
    """Make the schema and the data; write the plan to ``out``."""
    import django

    django.setup()
    from django.core.management import call_command

    from bench.messages_steps import prepare

    call_command("migrate", verbosity=0)
    plan = prepare(accounts=SOCKETS, group_size=GROUP_SIZE, groups=GROUPS)
    out.write_text(json.dumps(plan))


if __name__ == "__main__" and sys.argv[1:2] == ["prepare"]:
    _prepare(Path(sys.argv[2]))
