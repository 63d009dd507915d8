"""Real-time delivery under load: 1,000 open websockets on one ASGI server process.

Starts uvicorn (config.asgi) on the real services: a PostgreSQL database of its own
(``glimpse_bench_rt``, created afresh each run), Redis database 14 for the channel layer
and replay buffers, and a Celery worker (Redis database 12 as broker) for the jobs.
1,000 accounts, each with a post and an API token, connect to /ws/; then other accounts
like their posts through the HTTP API at a bounded rate, and the delay
from sending the like to the author's socket receiving the event is measured, with the
server's memory per open connection. Only 127.0.0.1 is contacted; the server is stopped by
its PID at the end.

Run with ``python -m bench realtime``; ``BENCH_RT_DATABASE_URL`` names the PostgreSQL server
(the database name in it is replaced), ``BENCH_RT_REDIS_URL`` the Redis database.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.harness import Result, celery_worker, report

ACCOUNTS = 1_000
LIKES = 300
LIKES_PER_SECOND = 10
PUBLISHES = 1_000
PUBLISHES_PER_SECOND = 100
IN_FLIGHT = 8
DATABASE = "glimpse_bench_rt"
POSTGRES_URL = os.environ.get("BENCH_RT_DATABASE_URL", "postgres://root@127.0.0.1:5432/postgres")
# redis-py's asyncio pools refuse (rather than wait) past 100 connections: 1,000 sockets
# joining their groups at once need a larger pool, named in the URL.
REDIS_URL = os.environ.get("BENCH_RT_REDIS_URL", "redis://127.0.0.1:6379/14?max_connections=2000")
BROKER_URL = os.environ.get("BENCH_RT_BROKER_URL", "redis://127.0.0.1:6379/12")
P99_TARGET_MS = 100.0
KB_PER_CONNECTION_TARGET = 50.0
ROOT = Path(__file__).resolve().parent.parent


def run() -> list[Result]:
    """Prepare the data, start the server, measure, stop it and report."""
    started = time.monotonic()
    _raise_open_files_limit()
    env = _server_env()
    with tempfile.TemporaryDirectory() as scratch:
        dataset = Path(scratch) / "dataset.json"
        print("  preparing the database and 1,000 accounts...", flush=True)
        subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bench.realtime", "prepare", str(dataset)],
            env=env,
            cwd=ROOT,
            check=True,
        )
        accounts = json.loads(dataset.read_text())
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            "--lifespan",
            "off",
            # Events are small JSON: compressing them saves nothing and zlib's state costs
            # tens of KB per socket (see docs/realtime.md).
            "--ws-per-message-deflate",
            "false",
        ],
        env=env,
        cwd=ROOT,
    )
    # The jobs (a like's notification) run in a Celery worker of their own, as in production.
    worker = celery_worker(pool="threads", concurrency=4, env=env)
    try:
        figures = asyncio.run(_measure(port, server.pid, accounts, env))
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    figures["seconds"] = round(time.monotonic() - started, 1)
    print(
        f"  {figures['connections']} connections, {figures['likes']} likes "
        f"({figures['event_kind']} events, {figures['missing']} missing) in "
        f"{figures['seconds']} s; like request alone p50 {figures['request_p50_ms']:.1f} ms"
    )
    print(
        f"  publish_now -> socket: {figures['published']}/{PUBLISHES} probes, "
        f"p50 {figures['publish_p50_ms']:.1f} ms, p99 {figures['publish_p99_ms']:.1f} ms"
    )
    results = [
        _against_target(
            "publish_now -> socket p99", figures["publish_p99_ms"], P99_TARGET_MS, "ms", 1.0
        ),
        _against_target("like -> event delay p50", figures["p50_ms"], P99_TARGET_MS, "ms", None),
        _against_target("like -> event delay p99", figures["p99_ms"], P99_TARGET_MS, "ms", 1.0),
        _against_target(
            "server memory per open connection",
            figures["kb_per_connection"],
            KB_PER_CONNECTION_TARGET,
            "KB",
            1.0,
        ),
    ]
    report(results, suite="realtime")
    return results


def _against_target(
    name: str, value: float, target: float, unit: str, budget: float | None
) -> Result:
    return Result(name, "target", value, target, value / target, budget, unit)


async def _measure(
    port: int, pid: int, accounts: list[dict[str, Any]], env: dict[str, str]
) -> dict[str, Any]:
    """Open the sockets, publish events, send the likes and return the figures."""
    import websockets

    ids = [a["account_id"] for a in accounts]

    base = f"http://127.0.0.1:{port}"
    await _wait_until_up(base)
    # Warm up: a few connections and likes, so imports, pools and caches are in place.
    warm = [await _connect(port, a["token"]) for a in accounts[:20]]
    for a, b in zip(accounts[:10], accounts[10:20], strict=True):
        await asyncio.to_thread(_like, base, b["token"], a["post_id"])
    await asyncio.sleep(0.5)
    for connection in warm:
        await connection.close()
    await asyncio.sleep(1)
    rss_before = _rss_kb(pid)

    arrivals: dict[int, float] = {}
    kinds: dict[int, str] = {}
    connections: list[websockets.ClientConnection] = []
    for start in range(0, len(accounts), 100):
        batch = accounts[start : start + 100]
        connections += await asyncio.gather(*(_connect(port, a["token"]) for a in batch))
    probes: list[float] = []
    readers = [
        asyncio.create_task(_read(connection, index, arrivals, kinds, probes))
        for index, connection in enumerate(connections)
    ]
    await asyncio.sleep(2)
    rss_open = _rss_kb(pid)

    # The real-time layer alone: events published straight through publish_now (by another
    # process, as a job worker would) to each account in turn.
    await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bench.realtime", "publish", json.dumps(ids)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    deadline = time.monotonic() + 10
    while len(probes) < PUBLISHES and time.monotonic() < deadline:
        await asyncio.sleep(0.2)

    # Account i's post is liked by account i + 1: one like per receiving socket, so the
    # first event on socket i is the answer to like i.
    sent: dict[int, float] = {}
    request_times: list[float] = []
    gate = asyncio.Semaphore(IN_FLIGHT)
    count = min(LIKES, len(accounts))

    async def like(index: int) -> None:
        liker = accounts[(index + 1) % len(accounts)]
        async with gate:
            sent[index] = time.perf_counter()
            await asyncio.to_thread(_like, base, liker["token"], accounts[index]["post_id"])
            request_times.append(time.perf_counter() - sent[index])

    tasks = []
    for index in range(count):
        tasks.append(asyncio.create_task(like(index)))
        await asyncio.sleep(1 / LIKES_PER_SECOND)
    await asyncio.gather(*tasks)
    deadline = time.monotonic() + 10
    while len(arrivals) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*(c.close() for c in connections), return_exceptions=True)

    probes.sort()
    delays = sorted((arrivals[i] - sent[i]) * 1000 for i in sent if i in arrivals)
    return {
        "connections": len(connections),
        "likes": count,
        "missing": count - len(delays),
        "event_kind": ",".join(sorted(set(kinds.values()))) or "none",
        "publish_p50_ms": statistics.median(probes) * 1000 if probes else float("inf"),
        "publish_p99_ms": _percentile(probes, 0.99) * 1000,
        "published": len(probes),
        "p50_ms": statistics.median(delays) if delays else float("inf"),
        "p99_ms": _percentile(delays, 0.99),
        "request_p50_ms": statistics.median(request_times) * 1000,
        "rss_before_kb": rss_before,
        "rss_open_kb": rss_open,
        "kb_per_connection": (rss_open - rss_before) / len(connections),
    }


async def _connect(port: int, token: str) -> Any:
    import websockets

    connection = await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/",
        subprotocols=["bearer", token],  # type: ignore[list-item]
        open_timeout=30,
    )
    ready = json.loads(await connection.recv())
    assert ready["kind"] == "ready", ready
    return connection


async def _read(
    connection: Any,
    index: int,
    arrivals: dict[int, float],
    kinds: dict[int, str],
    probes: list[float],
) -> None:
    """Note when the first event of a like arrives on this socket, and each probe's delay."""
    async for raw in connection:
        at = time.perf_counter()
        event = json.loads(raw)
        if event.get("kind") == "bench.probe":
            probes.append(time.time() - event["data"]["sent"])
        if event.get("kind") in {"notification", "unread_count"} and index not in arrivals:
            arrivals[index] = at
            kinds[index] = event["kind"]


def _like(base: str, token: str, post_id: str) -> None:
    request = urllib.request.Request(  # noqa: S310 - a fixed 127.0.0.1 URL
        f"{base}/api/glimpse/v1/posts/{post_id}/like",
        method="POST",
        data=b"",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        response.read()


async def _wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            await asyncio.to_thread(urllib.request.urlopen, f"{base}/healthz", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("inf")
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS line")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _raise_open_files_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192 if hard == resource.RLIM_INFINITY else min(8192, hard)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GLIMPSE_TESTING", None)
    parts = urlsplit(POSTGRES_URL)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=urlunsplit(parts._replace(path=f"/{DATABASE}")),
        REDIS_URL=REDIS_URL,
        CELERY_BROKER_URL=BROKER_URL,
        CELERY_TASK_ALWAYS_EAGER="0",
        GLIMPSE_CACHE_PREFIX="bench-rt",
    )
    return env


def _prepare(output: Path) -> None:
    """Recreate the database and write the accounts' tokens and post ids to ``output``."""
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    import django

    django.setup()
    import redis
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from glimpse.accounts.models import ApiToken, User
    from glimpse.accounts.tokens import TOKEN_PREFIX, token_digest, token_generate
    from glimpse.posts.models import Post

    redis.Redis.from_url(REDIS_URL).flushdb()
    redis.Redis.from_url(BROKER_URL).flushdb()
    call_command("migrate", verbosity=0)
    password = make_password("bench-password-long-enough")
    users = User.objects.bulk_create(
        User(username=f"rt{n:04d}", email=f"rt{n:04d}@bench.invalid", password=password)
        for n in range(ACCOUNTS)
    )
    secrets = [token_generate() for _ in users]
    ApiToken.objects.bulk_create(
        ApiToken(
            user=user,
            name="bench",
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            digest=token_digest(secret),
        )
        for user, secret in zip(users, secrets, strict=True)
    )
    posts = Post.objects.bulk_create(Post(author=user) for user in users)
    User.objects.filter(pk__in=[u.pk for u in users]).update(post_count=1)
    output.write_text(
        json.dumps(
            [
                {"account_id": str(u.pk), "token": s, "post_id": str(p.pk)}
                for u, s, p in zip(users, secrets, posts, strict=True)
            ]
        )
    )


def _publish(account_ids: list[str]) -> None:
    """Publish one probe event to each account in turn, at a bounded rate."""
    import django

    django.setup()
    from glimpse.realtime.sockets import publish_now

    for n in range(PUBLISHES):
        account_id = int(account_ids[n % len(account_ids)])
        publish_now(account_id, "bench.probe", {"sent": time.time()})
        time.sleep(1 / PUBLISHES_PER_SECOND)


if __name__ == "__main__" and sys.argv[1:2] == ["prepare"]:
    _prepare(Path(sys.argv[2]))
elif __name__ == "__main__" and sys.argv[1:2] == ["publish"]:
    _publish(json.loads(sys.argv[2]))
