"""Reliability drills 2 to 5: mixed load, Redis lost, a worker killed, PostgreSQL restarted.

`python -m bench drill` starts a PostgreSQL server of its own (so that it may restart it),
seeds the small network into it, and runs the processes of the Procfile — what `make serve`
runs: gunicorn web workers, the websocket server, a Celery worker and beat — on Redis
(database 9, flushed) and RabbitMQ (a queue of its own). Virtual users (bench/drill_load.py)
then browse, like, comment, follow, upload and publish through the API, without pauses:

1. the mixed load alone for BENCH_DRILL_SECONDS (default 300): server errors, p50/p95/p99 per
   endpoint;
2. the same load with faults, 45 s apart: Redis flushed; the Celery worker killed with
   SIGKILL (its whole process group) and started again 15 s later; PostgreSQL stopped (fast
   shutdown) and started again 10 s later. For each: failed answers, how long until the last
   one, how fast they failed;
3. then, with a worker back, the verification (bench/drill_steps.py): every acknowledged
   like, unlike, follow, unfollow, comment and post is in the database, every upload ended
   `ready`, every follower's feed holds every post published, counters equal a recount.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import redis

from bench.drill_load import Ledger, Load, failures_between, summary
from bench.drill_postgres import DrillPostgres
from bench.feed import free_port, wait_ready
from bench.harness import (
    RESULTS_DIR,
    Result,
    procfile_commands,
    procfile_env,
    procfile_start,
    report,
)

WORK = Path("var") / "bench" / "drill"
ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_DRILL_REDIS_URL", "redis://127.0.0.1:6379/9")
BROKER_URL = os.environ.get("BENCH_DRILL_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
SECONDS = int(os.environ.get("BENCH_DRILL_SECONDS", 300))
FAULT_GAP = int(os.environ.get("BENCH_DRILL_FAULT_GAP", 45))


def run() -> list[Result]:
    """Run the load, then the faults, then verify; report the figures."""
    WORK.mkdir(parents=True, exist_ok=True)
    postgres = DrillPostgres(free_port())
    processes: dict[str, subprocess.Popen[bytes]] = {}
    queue = f"glimpse-drill-{secrets.token_hex(4)}"
    try:
        postgres.create()
        redis.Redis.from_url(REDIS_URL).flushdb()
        port = free_port()
        env = drill_env(postgres.url, port, queue)
        plan = drill_step(env, "prepare")
        commands = procfile_commands()
        for name, command in commands.items():
            processes[name] = procfile_start(command, env=env, log=WORK / f"{name}.log")
        wait_ready(port)
        base = f"http://127.0.0.1:{port}"
        print(f"  load: {len(plan['users'])} virtual users for {SECONDS} s", flush=True)
        ledger = Ledger()  # both phases' writes are verified at the end
        steady = _steady(base, plan, ledger)
        print("  faults: Redis flushed, worker killed, PostgreSQL restarted", flush=True)
        faults = _faults(base, plan, ledger, postgres, processes, commands["worker"], env)
        (WORK / "ledger.json").write_text(json.dumps(ledger.as_dict()))
        faults["queue_drained_after_s"] = _queues_drain(queue)
        checks = drill_step(env, "verify")
    finally:
        for process in processes.values():
            process_group_stop(process)
        postgres.destroy()
        _queue_delete(queue)
    figures = {"data": plan_counts(plan), "steady": steady, "faults": faults, "checks": checks}
    (RESULTS_DIR / "drill_figures.json").write_text(json.dumps(figures, indent=2) + "\n")
    _print(figures)
    results = _results(figures)
    report(results, suite="drill")
    return results


def plan_counts(plan: dict[str, Any]) -> dict[str, int]:
    """Return the size of the seeded network the drill ran on."""
    return {"accounts": plan["accounts"], "posts": plan["posts"], "users": len(plan["users"])}


def _steady(base: str, plan: dict[str, Any], ledger: Ledger) -> dict[str, Any]:
    load = Load(base, plan["users"], plan, ledger)
    load.start()
    _progress(load, SECONDS)
    load.stop()
    seconds = load.now()
    table = summary(load.answers)
    total = sum(row["requests"] for row in table.values())
    return {
        "seconds": round(seconds, 1),
        "requests": total,
        "requests_per_s": round(total / seconds, 1),
        "server_errors": sum(row["server_errors"] for row in table.values()),
        "no_answer": sum(row["no_answer"] for row in table.values()),
        "endpoints": table,
    }


def _faults(
    base: str,
    plan: dict[str, Any],
    ledger: Ledger,
    postgres: DrillPostgres,
    processes: dict[str, subprocess.Popen[bytes]],
    worker_command: str,
    env: dict[str, str],
) -> dict[str, Any]:
    load = Load(base, plan["users"], plan, ledger)
    load.start()
    marks: dict[str, float] = {}
    print(f"  faults start at {time.strftime('%H:%M:%S')}", flush=True)
    _progress(load, 15)
    marks["redis_flushed"] = load.now()
    redis.Redis.from_url(REDIS_URL).flushdb()
    _progress(load, 15 + FAULT_GAP)
    marks["worker_killed"] = load.now()
    os.killpg(processes["worker"].pid, signal.SIGKILL)
    processes["worker"].wait()
    _progress(load, 30 + FAULT_GAP)
    processes["worker"] = procfile_start(worker_command, env=env, log=WORK / "worker.log")
    _progress(load, 15 + 2 * FAULT_GAP)
    marks["postgres_stopped"] = load.now()
    postgres.stop()
    _progress(load, 25 + 2 * FAULT_GAP)
    postgres.start()
    marks["postgres_started"] = load.now()
    _progress(load, 15 + 3 * FAULT_GAP)
    load.stop()
    ends = [marks["worker_killed"], marks["postgres_stopped"], load.now()]
    starts = [marks["redis_flushed"], marks["worker_killed"], marks["postgres_stopped"]]
    windows = {}
    for name, start, end in zip(("redis", "worker", "postgres"), starts, ends, strict=True):
        windows[name] = failures_between(load.answers, start, end)
    windows["postgres"]["down_s"] = round(marks["postgres_started"] - marks["postgres_stopped"], 1)
    return {
        "marks": {k: round(v, 1) for k, v in marks.items()},
        **windows,
        "endpoints": summary(load.answers),
        "ledger_sizes": {k: len(v) for k, v in ledger.as_dict().items()},
    }


def _progress(load: Load, until: float) -> None:
    """Wait until the load has run ``until`` seconds, printing one line every 30 s."""
    while (left := until - load.now()) > 0:
        time.sleep(min(left, 30))
        answers = load.answers
        failed = sum(a.status >= 500 or a.status == 0 for a in answers)
        print(f"    {load.now():5.0f} s  {len(answers):7d} requests  {failed} failed", flush=True)


def drill_env(database_url: str, port: int, queue: str) -> dict[str, str]:
    """Return the production environment of the drill's processes and child steps."""
    env = procfile_env(
        database_url=database_url,
        redis_url=REDIS_URL,
        broker_url=BROKER_URL,
        queue=queue,
        data_dir=WORK / "data",
        web_bind=f"127.0.0.1:{port}",
        websocket_port=free_port(),
    )
    return {**env, "GLIMPSE_RATE_UPLOADS": "1000000"}


def drill_step(env: dict[str, str], step: str) -> dict[str, Any]:
    """Run one step of drill_steps in a child process with ``env``; return what it wrote."""
    out = WORK / f"{step}.json"
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench.drill", step, str(out)], env=env, check=True, cwd=ROOT
    )
    return dict(json.loads(out.read_text()))


def process_group_stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started in a session of its own, and its children (SIGKILL after 20 s)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _queues_drain(queue: str, deadline: float = 600) -> float:
    """Wait until the jobs queued during the load have run; return how long it took.

    A queue counts as drained when it has held no message for 3 checks in a row (a job a
    worker is running is not counted by the broker, hence the margin).
    """
    from kombu import Connection

    started = time.monotonic()
    quiet = 0
    with Connection(BROKER_URL, connect_timeout=5) as connection:
        channel = connection.default_channel
        while quiet < 3 and time.monotonic() - started < deadline:
            waiting = sum(
                channel.queue_declare(queue=name, passive=True).message_count  # type: ignore[attr-defined]
                for name in _queue_names(queue)
            )
            quiet = quiet + 1 if waiting == 0 else 0
            time.sleep(1)
    return round(time.monotonic() - started, 1)


def _queue_names(queue: str) -> list[str]:
    """Return the run's queues: bulk, interactive and media (as config/settings.py names them)."""
    return [queue, f"{queue}.interactive", f"{queue}.media"]


def _queue_delete(queue: str) -> None:
    from kombu import Connection

    try:
        with Connection(BROKER_URL, connect_timeout=5) as connection:
            for name in _queue_names(queue):
                connection.default_channel.queue_delete(name)  # type: ignore[attr-defined]
    except Exception as error:  # cleanup must not hide the drill's own error
        print(f"  could not delete the queue {queue}: {error}", flush=True)


def _print(figures: dict[str, Any]) -> None:
    steady = figures["steady"]
    print(
        f"\n  steady load: {steady['requests']} requests in {steady['seconds']} s "
        f"({steady['requests_per_s']}/s), {steady['server_errors']} server errors, "
        f"{steady['no_answer']} unanswered"
    )
    print(f"  {'endpoint':16} {'requests':>8} {'5xx':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, row in steady["endpoints"].items():
        print(
            f"  {name:16} {row['requests']:8d} {row['server_errors']:5d} {row['p50_ms']:8.1f} "
            f"{row['p95_ms']:8.1f} {row['p99_ms']:8.1f}"
        )
    for fault in ("redis", "worker", "postgres"):
        print(f"  {fault:9} {figures['faults'][fault]}")
    print(f"  checks    {figures['checks']}")


def _results(figures: dict[str, Any]) -> list[Result]:
    checks = figures["checks"]
    lost = sum(
        checks[key]
        for key in (
            "likes_lost",
            "follows_lost",
            "comments_lost",
            "posts_lost",
            "uploads_failed",
            "uploads_still_processing",
            "uploads_missing",
            "feeds_missing_a_post",
            "posts_with_wrong_like_count",
            "posts_with_wrong_comment_count",
            "accounts_with_wrong_follower_count",
        )
    )
    faults = figures["faults"]
    cases = [
        ("drill 2: server errors, steady load", figures["steady"]["server_errors"]),
        ("drill 3: server errors after Redis flush", faults["redis"]["server_errors_500"]),
        ("drill 4: server errors, worker killed", faults["worker"]["server_errors_500"]),
        ("drill 5: 500s while PostgreSQL restarts", faults["postgres"]["server_errors_500"]),
        ("drills 2-5: writes lost or doubled", lost),
    ]
    return [Result(name, "none", value, 1, value, 0.0, "n") for name, value in cases]


if __name__ == "__main__":
    import django

    django.setup()
    from bench import drill_steps

    step, out = sys.argv[1], Path(sys.argv[2])
    out.write_text(json.dumps(getattr(drill_steps, step)(WORK)))
