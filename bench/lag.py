"""Publish → in every follower's feed, while a steady feed load runs (`python -m bench lag`).

The drill runs the processes of the Procfile (web, workers, beat: what `make serve` runs) in
the production configuration on PostgreSQL and Redis (the broker too, queues of the run's
own), on the small network (`manage.py seed --scale small`, seeded once). Then, for
BENCH_LAG_SECONDS (default 120):

- virtual readers (threads with kept-alive connections) read the home feed without pause,
  each page recording 20 impressions, as on a busy evening;
- a publisher (bench/lag_steps.py, in a child process) posts every BENCH_LAG_INTERVAL
  seconds as one of the most followed accounts, and times each post from its commit until
  every follower's Redis feed holds it;
- a sampler reads the broker's queues every second.

It prints the lag's p50 / p99 / max, the feed requests served, how many `insights.flush`
jobs were queued (run by a worker, plus still waiting at the end) and the deepest queue.
Database and Redis: BENCH_LAG_DATABASE_URL, BENCH_LAG_REDIS_URL (the Redis database is
flushed). BENCH_LAG_BACKLOG=N queues N flush jobs before the workers start: a backlog of bulk
work, as a large network's feed load left behind.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis
import requests

from bench.drill import process_group_stop
from bench.feed import database_ensure, free_port, wait_ready
from bench.harness import (
    RESULTS_DIR,
    Result,
    procfile_commands,
    procfile_env,
    procfile_start,
    report,
)

WORK = Path("var") / "bench" / "lag"
ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_LAG_DATABASE_URL", "postgres://root@127.0.0.1:5432/glimpse_lag"
)
REDIS_URL = os.environ.get("BENCH_LAG_REDIS_URL", "redis://127.0.0.1:6379/12")
SECONDS = int(os.environ.get("BENCH_LAG_SECONDS", 120))
INTERVAL = float(os.environ.get("BENCH_LAG_INTERVAL", 3))
READERS = int(os.environ.get("BENCH_LAG_READERS", 8))
FLUSH_RECEIVED = re.compile(r"insights\.flush\[[0-9a-f-]+\] received")


def run() -> list[Result]:
    """Run the feed load and the publisher together; report lag, flush jobs, queue depth."""
    WORK.mkdir(parents=True, exist_ok=True)
    database_ensure(DATABASE_URL)
    queue = f"glimpse-lag-{secrets.token_hex(4)}"
    env = lag_env(queue)
    plan = lag_step(env, "prepare")
    processes: dict[str, subprocess.Popen[bytes]] = {}
    logs: list[Path] = []
    try:
        for name, command in procfile_commands().items():
            log = WORK / f"{name}.log"
            log.write_bytes(b"")
            logs.append(log)
            processes[name] = procfile_start(command, env=env, log=log)
        port = int(env["GLIMPSE_WEB_BIND"].rsplit(":", 1)[1])
        wait_ready(port)
        time.sleep(5)  # the workers connect to the broker
        readers = Readers(f"http://127.0.0.1:{port}/api/glimpse/v1/feed?limit=20", plan["tokens"])
        sampler = Sampler(REDIS_URL, queue)
        readers.start()
        sampler.start()
        try:
            published = lag_step(env, "publish")
        finally:
            readers.stop()
            sampler.stop()
        waiting = sampler.flush_jobs_waiting()
        counted_at = datetime.now(UTC).isoformat(timespec="milliseconds")[:23]
    finally:
        for process in processes.values():
            process_group_stop(process)
        redis.Redis.from_url(REDIS_URL).flushdb()
    received = sum(flush_jobs_received(log, until=counted_at) for log in logs)
    figures = {
        "procfile": sorted(processes),
        "backlog": int(env["BENCH_LAG_BACKLOG"]),
        "feed_requests": readers.count,
        "feed_requests_per_s": round(readers.count / readers.seconds, 1),
        "feed_p50_ms": round(readers.quantile(0.5) * 1000, 1),
        "feed_p99_ms": round(readers.quantile(0.99) * 1000, 1),
        "feed_failed": readers.failed,
        "flush_jobs_run": received,
        "flush_jobs_waiting_at_end": waiting,
        "deepest_queue": sampler.deepest,
        **published,
    }
    (RESULTS_DIR / "lag_figures.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2), flush=True)
    lag_p99 = figures["lag_p99_s"]
    results = [
        Result("lag: publish -> every follower's feed, p99", "target 2 s", lag_p99, 2.0,
               lag_p99 / 2, 1.0, "s"),
        Result("lag: posts that never reached every feed", "none", published["never_arrived"],
               1, published["never_arrived"], 0.0, "n"),
    ]  # fmt: skip
    report(results, suite="lag")
    return results


def lag_env(queue: str) -> dict[str, str]:
    """Return the production environment of the processes and the child steps."""
    env = procfile_env(
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        broker_url=REDIS_URL,
        queue=queue,
        data_dir=WORK / "data",
        web_bind=f"127.0.0.1:{free_port()}",
        websocket_port=free_port(),
    )
    return {
        **env,
        "BENCH_LAG_SECONDS": str(SECONDS),
        "BENCH_LAG_INTERVAL": str(INTERVAL),
        "BENCH_LAG_BACKLOG": os.environ.get("BENCH_LAG_BACKLOG", "0"),
    }


def lag_step(env: dict[str, str], step: str) -> dict[str, Any]:
    """Run one step of lag_steps in a child process with ``env``; return what it wrote."""
    out = WORK / f"{step}.json"
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench.lag", step, str(out)], env=env, check=True, cwd=ROOT
    )
    return dict(json.loads(out.read_text()))


def flush_jobs_received(log: Path, *, until: str) -> int:
    """Count the flush jobs a worker's JSON log says it received up to ``until`` (UTC ISO).

    Jobs received later were still waiting when the queues were read, and counted there.
    """
    count = 0
    for line in log.read_text(errors="replace").splitlines():
        if FLUSH_RECEIVED.search(line) and line.startswith("{"):
            count += json.loads(line)["time"][:23] <= until
    return count


class Readers:
    """Threads reading the home feed without pause, each as a random viewer."""

    def __init__(self, url: str, tokens: list[str]) -> None:
        self.url, self.tokens = url, tokens
        self.durations: list[float] = []
        self.failed = 0
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self._read, args=(random.Random(n),), daemon=True)
            for n in range(READERS)
        ]
        self.started = self.ended = 0.0

    @property
    def count(self) -> int:
        return len(self.durations) + self.failed

    @property
    def seconds(self) -> float:
        return max(self.ended - self.started, 1e-9)

    def quantile(self, q: float) -> float:
        ordered = sorted(self.durations)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    def start(self) -> None:
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=15)
        self.ended = time.monotonic()

    def _read(self, rng: random.Random) -> None:
        session = requests.Session()
        session.headers["X-Forwarded-Proto"] = "https"
        while not self.stopping.is_set():
            headers = {"Authorization": f"Bearer {rng.choice(self.tokens)}"}
            started = time.monotonic()
            try:
                ok = session.get(self.url, headers=headers, timeout=10).status_code == 200
            except requests.RequestException:
                ok = False
            if ok:
                self.durations.append(time.monotonic() - started)
            else:
                self.failed += 1
                time.sleep(0.2)


class Sampler:
    """Read the depth of the run's broker queues (Redis lists) every second."""

    def __init__(self, url: str, queue: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.queues = [queue, f"{queue}.interactive", f"{queue}.media"]
        self.deepest: dict[str, int] = dict.fromkeys(self.queues, 0)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)

    def flush_jobs_waiting(self) -> int:
        """Count the insights.flush jobs still waiting in the run's queues."""
        waiting = 0
        for name in self.queues:
            for raw in self.client.lrange(name, 0, -1):
                waiting += json.loads(raw).get("headers", {}).get("task") == "insights.flush"
        return waiting

    def _sample(self) -> None:
        while not self.stopping.wait(1.0):
            with self.client.pipeline(transaction=False) as pipe:
                for name in self.queues:
                    pipe.llen(name)
                depths = pipe.execute()
            for name, depth in zip(self.queues, depths, strict=True):
                self.deepest[name] = max(self.deepest[name], int(depth))


def quantiles(values: list[float]) -> dict[str, float]:
    """Return p50, p99 and max of ``values`` (seconds, rounded to ms)."""
    if not values:
        return {"lag_p50_s": 0.0, "lag_p99_s": 0.0, "lag_max_s": 0.0}
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return {
        "lag_p50_s": round(statistics.median(ordered), 3),
        "lag_p99_s": round(p99, 3),
        "lag_max_s": round(ordered[-1], 3),
    }


if __name__ == "__main__":
    import django

    django.setup()
    from bench import lag_steps

    step, out = sys.argv[1], Path(sys.argv[2])
    out.write_text(json.dumps(getattr(lag_steps, step)(WORK)))
