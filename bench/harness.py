"""Time a hot path against a baseline measured in the same run, and report the ratio.

These machines are noisy, so a benchmark never asserts an absolute time: each case runs
interleaved with its baseline several times and the ratio of the medians is reported.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from honcho.environ import parse_procfile

RESULTS_DIR = Path(__file__).resolve().parent / "results"
PROCFILE = Path(__file__).resolve().parent.parent / "Procfile"


@dataclass(frozen=True)
class Result:
    name: str
    baseline: str
    value: float  # per operation, in `unit`
    baseline_value: float
    ratio: float
    budget_ratio: float | None
    unit: str = "us"

    @property
    def within_budget(self) -> bool:
        return self.budget_ratio is None or self.ratio <= self.budget_ratio


def compare(
    name: str,
    case: Callable[[], object],
    *,
    baseline_name: str,
    baseline: Callable[[], object],
    operations: int,
    rounds: int = 7,
    budget_ratio: float | None = None,
) -> Result:
    """Run ``case`` and ``baseline`` interleaved ``rounds`` times; report per-op medians."""
    case_times: list[float] = []
    base_times: list[float] = []
    case()  # warm up both, so imports and caches do not count
    baseline()
    for _ in range(rounds):
        base_times.append(_timed(baseline))
        case_times.append(_timed(case))
    case_us = statistics.median(case_times) / operations * 1e6
    base_us = statistics.median(base_times) / operations * 1e6
    return Result(name, baseline_name, case_us, base_us, case_us / base_us, budget_ratio, "us")


def report(results: list[Result], *, suite: str) -> None:
    """Print a table of results and record them under bench/results/."""
    print(f"\n{suite}")
    print(f"{'case':42} {'value':>12} {'baseline':>30} {'ratio':>7}  budget")
    for r in results:
        budget = "-" if r.budget_ratio is None else f"<= {r.budget_ratio:g}"
        verdict = "" if r.within_budget else "  OVER BUDGET"
        value = f"{r.value:9.2f} {r.unit:2}"
        baseline = f"{r.baseline:>19} {r.baseline_value:8.2f} {r.unit:2}"
        print(f"{r.name:42} {value} {baseline} {r.ratio:7.2f}  {budget}{verdict}")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{suite}.json"
    path.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")


def _timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def celery_worker(
    *,
    pool: str,
    concurrency: int,
    env: Mapping[str, str] | None = None,
    queues: list[str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start a Celery worker of the project (warnings only); the caller stops it by PID.

    Without ``queues`` it takes from every queue of the settings.
    """
    only = ["--queues", ",".join(queues)] if queues else []
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            pool,
            "-c",
            str(concurrency),
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *only,
        ],
        env=None if env is None else dict(env),
        cwd=Path(__file__).resolve().parent.parent,
    )


def procfile_commands() -> dict[str, str]:
    """Return the Procfile's commands by process name, parsed by honcho as `make serve` does."""
    return dict(parse_procfile(PROCFILE.read_text()).processes)


def procfile_start(command: str, *, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start one Procfile command in a session of its own, its output appended to ``log``.

    The shell runs it, as under honcho: it expands ``${NAME}`` from ``env``.
    """
    return subprocess.Popen(  # noqa: S602 - a command of the project's Procfile
        command,
        shell=True,
        env=dict(env),
        cwd=PROCFILE.parent,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # stopped with its children: os.killpg(process.pid, ...)
    )


def procfile_env(
    *,
    database_url: str,
    redis_url: str,
    broker_url: str,
    queue: str,
    data_dir: Path,
    web_bind: str,
    websocket_port: int,
) -> dict[str, str]:
    """Return the production environment the Procfile's processes and child steps run with.

    Jobs go to queues named after ``queue``, so that a run never takes another's jobs.
    """
    return {
        **os.environ,
        "GLIMPSE_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "GLIMPSE_CELERY_QUEUE": queue,
        "GLIMPSE_CELERY_INTERACTIVE_QUEUE": f"{queue}.interactive",
        "GLIMPSE_DATA_DIR": str(data_dir.resolve()),
        "GLIMPSE_RATE_REQUESTS": "1000000",
        "GLIMPSE_WEB_BIND": web_bind,
        "GLIMPSE_WEB_WORKERS": "2",
        "GLIMPSE_WS_HOST": "127.0.0.1",
        "GLIMPSE_WS_PORT": str(websocket_port),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }
