"""Instructions of one warm request of each hot page, counted by valgrind's callgrind: a
figure that does not move with the machine's noise, next to the bare view's.

`python -m bench instructions` seeds the small network (1,000 accounts, 10,000 posts) once
for each layout: the embedded default (SQLite and the in-process cache, in a data folder of
its own) and the production layout (PostgreSQL and Redis, a database of its own; only the
web process is counted, not the database server). For each, it runs one Python process
under `valgrind --tool=callgrind --instr-atstart=no` (`python -m bench.instructions child`).
That process sets Django up and warms each page with counting off, then counts the page's
requests through Django's whole stack (middleware, throttle, token, view, rendering): it
starts and stops callgrind's counting itself, through valgrind's client requests (a tiny
library built from valgrind's header with gcc), and each stop writes one dump named after
the page. `GLIMPSE_BENCH_PAGES=feed,post` counts only the pages whose names hold one of
those words (and the bare view).
"""

from __future__ import annotations

import ctypes
import gc
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.harness import Result, report

WORK = Path("var") / "bench" / "instructions"
REQUESTS = 5  # per page, counted together; the figure is their mean
WARM = 3
SEED = 1


# The production layout: PostgreSQL and Redis (only the web process is counted: the database
# server's own work is not, as it would not be on a web machine).
PRODUCTION = {
    "DATABASE_URL": os.environ.get(
        "BENCH_INSTRUCTIONS_DATABASE_URL",
        "postgres://root@127.0.0.1:5432/glimpse_bench_instructions",
    ),
    "REDIS_URL": os.environ.get("BENCH_INSTRUCTIONS_REDIS_URL", "redis://127.0.0.1:6379/14"),
}


def run() -> list[Result]:
    """Count each page's instructions per warm request against the bare view's, on the
    embedded default and on the production layout; report both."""
    for tool in ("valgrind", "gcc"):
        if shutil.which(tool) is None:
            raise SystemExit(
                "valgrind is missing: `make bench` installs it (apt-get install valgrind)."
            )
    results = []
    for layout in ("embedded", "production"):
        data = (WORK / layout).resolve()
        env = {**os.environ, "GLIMPSE_DATA_DIR": str(data), "PYTHONHASHSEED": "0"}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        if layout == "production":
            from bench.feed import database_ensure

            database_ensure(PRODUCTION["DATABASE_URL"])
            env.update(PRODUCTION)
        _seed_once(data, env)
        counts = _count(env)
        bare = counts.pop("bare view")
        results += [
            Result(
                f"{name} [{layout}]",
                "bare view",
                value / 1e6,
                bare / 1e6,
                value / bare,
                None,
                "M instr",
            )
            for name, value in counts.items()
        ]
    report(results, suite="instructions")
    return results


def _seed_once(data: Path, env: dict[str, str]) -> None:
    """Migrate and seed the small network into the layout's database, unless done already."""
    mark = data / "seeded"
    if mark.exists():
        return
    data.mkdir(parents=True, exist_ok=True)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    seed = [*manage, "seed", "--scale", "small", "--seed", str(SEED), "--reset"]
    subprocess.run(seed, env=env, check=True)  # noqa: S603
    mark.write_text("small\n")


COUNTING_C = """
#include <valgrind/callgrind.h>
void counting_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void counting_stop(const char *name) {
    CALLGRIND_STOP_INSTRUMENTATION;
    CALLGRIND_DUMP_STATS_AT(name);
}
"""


def _count(env: dict[str, str]) -> dict[str, float]:
    """Run the child under callgrind; return the instructions per request of each page."""
    library = _counting_library()
    out = WORK / "callgrind.out"
    for old in WORK.glob("callgrind.out*"):
        old.unlink()
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out}",
        sys.executable,
        "-m",
        "bench.instructions",
        "child",
        str(library),
    ]
    log = WORK / "child.log"
    with log.open("w") as errors:
        done = subprocess.run(command, env=env, stderr=errors, timeout=1800, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"the counted process failed ({done.returncode}): see {log}")
    counts = {}
    for dump in sorted(WORK.glob("callgrind.out.*"), key=lambda path: int(path.suffix[1:])):
        text = dump.read_text()
        name = re.search(r"^desc: Trigger: Client Request: (.+)$", text, re.M)
        total = re.search(r"^totals: (\d+)", text, re.M)
        if name and total:
            counts[name.group(1)] = int(total.group(1)) / REQUESTS
    return counts


def _counting_library() -> Path:
    """Build (once) the small library whose calls start and stop callgrind's counting: the
    client requests of valgrind's own header, which Python cannot make by itself."""
    WORK.mkdir(parents=True, exist_ok=True)
    source, library = WORK / "counting.c", WORK / "libcounting.so"
    if not library.exists() or source.read_text() != COUNTING_C:
        source.write_text(COUNTING_C)
        build = ["gcc", "-shared", "-fPIC", "-O2", "-o", str(library), str(source)]
        subprocess.run(build, check=True)  # noqa: S603
    return library.resolve()


def child(library_path: str) -> None:
    """Warm each page, then make its requests with counting on (under callgrind)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.test import Client

    from glimpse.insights.services import impressions_flush

    counting = ctypes.CDLL(library_path)
    # Under callgrind a request runs some fifty times slower: cached cards and counts would
    # outlive their time-to-live and be rebuilt in every counted request. The cache's clock
    # stands still instead, so that a warm request here is the warm request of a server.
    frozen = time.time()
    time.time = lambda: frozen
    pages, viewer, headers = _pages()
    api = Client(**headers)
    web = Client()
    web.force_login(viewer)
    for name, path in pages.items():
        client = api if path.startswith("/api/") else web
        for _ in range(WARM):
            _get(client, path)
        # The impressions the pages so far left waiting are written now, uncounted: where
        # jobs run in the request (the embedded default), a page whose requests filled the
        # buffer would otherwise be charged with writing every page's impressions.
        impressions_flush()
        # As the production server's master does before it forks its workers
        # (config/gunicorn.py): what is loaded is frozen, out of the collector's walks.
        gc.collect()
        gc.freeze()
        counting.counting_start()
        for _ in range(REQUESTS):
            _get(client, path)
        counting.counting_stop(name.encode())
        print(f"  {name:32} counted", file=sys.stderr, flush=True)


def _pages() -> tuple[dict[str, str], Any, dict[str, Any]]:
    """Return the pages to count, by name, their viewer, and the headers of its API
    requests (the web pages use a session)."""
    from django.conf import settings

    from glimpse.accounts.models import User
    from glimpse.accounts.services import token_create
    from glimpse.posts.models import Post

    settings.GLIMPSE_RATE_REQUESTS = (10_000, 300)  # the counted requests are never refused
    settings.ALLOWED_HOSTS = ["testserver"]
    viewer = User.objects.order_by("pk").first()
    assert viewer is not None, "the small network is not seeded"
    post = Post.objects.filter(author__is_private=False).order_by("pk").first()
    assert post is not None
    author = post.author.username
    _, secret = token_create(user=viewer, name="instructions")
    pages = {
        "bare view": "/healthz",
        "home feed (API, 20 posts)": "/api/glimpse/v1/feed?limit=20",
        "a post (API)": f"/api/glimpse/v1/posts/{post.pk}",
        "a profile grid (API)": f"/api/glimpse/v1/accounts/{author}/posts",
        "Explore (API)": "/api/glimpse/v1/explore",
        "search (API)": "/api/glimpse/v1/search?q=a",
        "Reels (API)": "/api/glimpse/v1/reels",
        "inbox (API)": "/api/glimpse/v1/conversations",
        "the home page (HTML)": "/",
        "a post page (HTML)": f"/p/{post.pk}/",
    }
    wanted = [w.strip().lower() for w in os.environ.get("GLIMPSE_BENCH_PAGES", "").split(",")]
    pages = {
        name: path
        for name, path in pages.items()
        if name == "bare view" or any(w in name.lower() for w in wanted)
    }
    return pages, viewer, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _get(client: Any, path: str) -> None:
    """Request a page; stop on anything but 200."""
    answer = client.get(path)
    if answer.status_code != 200:
        raise SystemExit(f"{path} answered {answer.status_code}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(sys.argv[2])
    else:
        sys.exit("usage: python -m bench.instructions child LIBRARY")
