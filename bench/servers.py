"""Choose the web server by measurement: the same app under each candidate, the same load.

`python -m bench servers` seeds the small network into a PostgreSQL server of its own (as the
drills do), then starts each candidate in turn on 127.0.0.1 with 2 worker processes and the
production settings, and drives it with `wrk` (16 connections, BENCH_SERVERS_SECONDS each,
default 10) on a bare view, the home feed (twice: how far an identical run moves) and a post
page. For each run it also reports how the work was shared: the busiest worker's part of the
workers' CPU time (50 % is even for two). Ratios are against gunicorn's threaded workers,
the configuration `make serve` runs (config/gunicorn.py). `BENCH_SERVERS_ONLY=sync,keep`
measures only the candidates whose names hold one of those words (and the baseline).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil
import redis

from bench.drill import drill_env, drill_step, process_group_stop
from bench.drill_postgres import DrillPostgres
from bench.feed import free_port, wait_ready, wrk_load
from bench.harness import Result, report

WORK = Path("var") / "bench" / "drill"
SECONDS = int(os.environ.get("BENCH_SERVERS_SECONDS", 10))
BASELINE = "gunicorn gthread 2x4"


def candidates(port: int) -> dict[str, list[str]]:
    """Return the command of each candidate server, 2 worker processes each."""
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"]
    bind = ["--bind", f"127.0.0.1:{port}", "--workers", "2"]
    return {
        BASELINE: [*gunicorn, *bind],
        "gthread 2x4 no keep-alive": [*gunicorn, *bind, "--keep-alive", "0"],
        "gthread 2x4 reuse-port": [*gunicorn, *bind, "--reuse-port"],
        "gunicorn gthread 4x2": [*gunicorn, *bind, "--workers", "4", "--threads", "2"],
        "gunicorn gthread 2x8": [*gunicorn, *bind, "--threads", "8"],
        "gunicorn sync 2": [*gunicorn, *bind, "-k", "sync", "--threads", "1"],
        "gunicorn asgi 2": [*gunicorn, *bind, "-k", "asgi", "config.asgi:application"],
        "uvicorn 2": [
            sys.executable, "-m", "uvicorn", "config.asgi:application", "--workers", "2",
            "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--lifespan", "off",
        ],
    }  # fmt: skip


def run() -> list[Result]:
    """Measure every candidate on the same data and load; report ratios to the baseline."""
    WORK.mkdir(parents=True, exist_ok=True)
    postgres = DrillPostgres(free_port())
    figures: dict[str, dict[str, dict[str, float]]] = {}
    try:
        postgres.create()
        port = free_port()
        env = drill_env(postgres.url, port, "glimpse-servers")
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        plan = drill_step(env, "prepare")
        tokens = WORK / "tokens.txt"
        tokens.write_text("\n".join(user["token"] for user in plan["users"]) + "\n")
        paths = {
            "bare": ["/healthz"],
            "feed": ["/api/glimpse/v1/feed?limit=20"],
            "feed again": [
                "/api/glimpse/v1/feed?limit=20"
            ],  # an identical run: how far figures move
            "post": [f"/api/glimpse/v1/posts/{pk}" for pk in plan["post_ids"][:500]],
        }
        wanted = [w.strip() for w in os.environ.get("BENCH_SERVERS_ONLY", "").split(",")]
        for name, command in candidates(port).items():
            if name != BASELINE and not any(w in name for w in wanted):
                continue
            print(f"  {name}", flush=True)
            figures[name] = _measure(command, env, port, paths, tokens)
    finally:
        postgres.destroy()
    _print(figures)
    results = _results(figures)
    report(results, suite="servers")
    return results


def _measure(
    command: list[str], env: dict[str, str], port: int, paths: dict[str, list[str]], tokens: Path
) -> dict[str, dict[str, float]]:
    server = subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603
    try:
        wait_ready(port)
        base = f"http://127.0.0.1:{port}"
        figures = {}
        for name, listed in paths.items():
            before = _worker_cpu(server.pid)
            figures[name] = wrk_load(base, listed, tokens=tokens, work=WORK, seconds=SECONDS)
            used = [cpu - before.get(pid, 0.0) for pid, cpu in _worker_cpu(server.pid).items()]
            # How evenly the workers shared the work: the busiest one's part of their CPU time.
            figures[name]["busiest"] = max(used) / sum(used) if sum(used) else 0.0
        return figures
    finally:
        process_group_stop(server)


def _worker_cpu(pid: int) -> dict[int, float]:
    """Return the CPU seconds each worker process of the server ``pid`` used so far."""
    times = {}
    for worker in psutil.Process(pid).children():
        try:
            cpu = worker.cpu_times()
        except psutil.NoSuchProcess:
            continue
        times[worker.pid] = cpu.user + cpu.system
    return times


def _print(figures: dict[str, dict[str, dict[str, float]]]) -> None:
    head = f"{'server':26} {'endpoint':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"\n  {head} {'busiest':>7} {'fails':>6}")
    for name, loads in figures.items():
        for endpoint, f in loads.items():
            fails = f["errors"] + f["non_2xx"]
            print(
                f"  {name:26} {endpoint:10} {f['rps']:8.0f} {f['p50_ms']:8.1f} "
                f"{f['p99_ms']:8.1f} {f['busiest']:7.0%} {fails:6.0f}"
            )


def _results(figures: dict[str, dict[str, Any]]) -> list[Result]:
    """Per candidate and endpoint: time per request (1/throughput) against the baseline's."""
    base = figures[BASELINE]
    results = []
    for name, loads in figures.items():
        if name == BASELINE:
            continue
        for endpoint, f in loads.items():
            value = 1e6 / f["rps"]
            baseline = 1e6 / base[endpoint]["rps"]
            results.append(
                Result(
                    f"{name}: {endpoint}", BASELINE, value, baseline, value / baseline, None, "us"
                )
            )
    return results
