"""Web worker memory: what a worker shares with the master after fork, and how much it grows.

`python -m bench memory` starts the production web configuration (gunicorn, config/gunicorn.py)
on the feed benchmark's large data set (bench/feed.py prepares it when needed), reads each
worker's `/proc/<pid>/smaps_rollup` right after boot, sends 3,000 mixed requests for 1,000
viewers from 127.0.0.1 (in turns: the home feed, a post, a profile grid, Explore, search,
Reels and the inbox in the API, and the home page and a post page in HTML, whose feed cards
each process keeps rendered, at the addresses the feed benchmark prepared), and reads them
again.
Targets: a worker grows by under 10 MB over the requests (after a warm-up), and most of a
fresh worker's memory is shared with the master (the application is loaded once and frozen
before the fork).
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.feed import (
    WORK,
    child_step,
    database_ensure,
    free_port,
    server_env,
    wait_ready,
    web_server,
)
from bench.harness import Result, report

REQUESTS = 3_000
WARM_UP = 300
GROWTH_TARGET_MB = 10.0
SHARED_TARGET = 0.5  # "most" of a fresh worker's resident memory


def run() -> list[Result]:
    """Start the web server, measure its workers around 3,000 feed requests, stop it."""
    database_ensure()
    env = server_env()
    tokens_file, prepared = WORK / "tokens.txt", WORK / "prepare.json"
    if not tokens_file.exists() or not prepared.exists():
        child_step(env, "prepare")
    else:  # prepared by an earlier run: the data set may predate the code's migrations
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    tokens = tokens_file.read_text().split()
    cookies = (WORK / "sessions.txt").read_text().splitlines()
    viewers = {"api": tokens, "web": [line.removeprefix("Cookie: ") for line in cookies]}
    pages = json.loads(prepared.read_text())["paths"]
    paths = [listed for listed in pages.values() if listed[0] != "/healthz"]
    port = free_port()
    server = web_server(env, port)
    try:
        wait_ready(port)
        time.sleep(1)
        workers = _children(server.pid)
        fresh = {pid: _rollup(pid) for pid in workers}
        _requests(port, viewers, paths, WARM_UP)
        warm = {pid: _rollup(pid) for pid in workers}
        _requests(port, viewers, paths, REQUESTS)
        after = {pid: _rollup(pid) for pid in workers}
    finally:
        server.terminate()
        server.wait(timeout=30)
    shared = min(_shared_share(fresh[pid]) for pid in workers)
    growth_mb = max((after[pid]["Rss"] - warm[pid]["Rss"]) / 1024 for pid in workers)
    for pid in workers:
        print(
            f"  worker {pid}: fresh {fresh[pid]['Rss'] / 1024:.1f} MB resident, "
            f"{_shared_share(fresh[pid]):.0%} shared with the master; after warm-up "
            f"{warm[pid]['Rss'] / 1024:.1f} MB, after {REQUESTS:,} more requests "
            f"{after[pid]['Rss'] / 1024:.1f} MB"
        )
    results = [
        Result(
            f"worker growth over {REQUESTS:,} mixed requests",
            "target 10 MB",
            growth_mb,
            GROWTH_TARGET_MB,
            growth_mb / GROWTH_TARGET_MB,
            1.0,
            "MB",
        ),
        Result(
            "fresh worker memory shared with the master",
            "target 50 %",
            shared * 100,
            SHARED_TARGET * 100,
            SHARED_TARGET / max(shared, 1e-9),
            1.0,
            "%",
        ),
    ]
    report(results, suite="memory")
    return results


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def _rollup(pid: int) -> dict[str, int]:
    """Return the kB figures of a process's smaps_rollup (Rss, Pss, Shared_*, Private_*)."""
    figures = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        figures[name] = int(rest.split()[0])
    return figures


def _shared_share(rollup: dict[str, int]) -> float:
    shared = rollup["Shared_Clean"] + rollup["Shared_Dirty"]
    return shared / rollup["Rss"]


def _requests(port: int, viewers: dict[str, list[str]], paths: list[list[str]], count: int) -> None:
    """Send requests one after the other, each page in turn, each at its next address, each
    as the next viewer (a bearer token for the API, a session for pages), over a connection
    renewed every ten requests."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for n in range(count):
            listed = paths[n % len(paths)]
            path = listed[(n // len(paths)) % len(listed)]
            headers = {"X-Forwarded-Proto": "https"}
            if path.startswith("/api/"):
                headers["Authorization"] = f"Bearer {viewers['api'][n % len(viewers['api'])]}"
            else:
                headers["Cookie"] = viewers["web"][n % len(viewers["web"])]
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            answer.read()
            if answer.status != 200:
                raise SystemExit(f"{path} answered {answer.status}")
            # A new connection every few requests: a kept-alive one stays with the worker
            # that accepted it, and the warm-up must reach every worker.
            if answer.getheader("Connection", "").lower() == "close" or n % 10 == 9:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    finally:
        connection.close()
