"""Gunicorn settings for the production web processes (HTTP; websockets go to the ASGI server).

The master loads the application once, freezes every object it made out of the garbage
collector's reach, and forks: the workers share those pages instead of copying them the
first time a collection walks them.
"""

from __future__ import annotations

import gc
import os
from typing import Any

bind = os.environ.get("GLIMPSE_WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GLIMPSE_WEB_WORKERS", os.cpu_count() or 2))
# Threads let a worker overlap its database and Redis round trips; docs/performance.md
# gives the measurements behind these defaults.
worker_class = "gthread"
threads = int(os.environ.get("GLIMPSE_WEB_THREADS", 4))
keepalive = 5
# Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new
# connections among them. With one shared socket, the worker that woke first took several
# keep-alive connections and kept them: one worker did up to 91 % of the work while the
# other idled, and identical runs moved by up to 2x.
reuse_port = True
graceful_timeout = 10
preload_app = True
wsgi_app = "config.wsgi:application"
accesslog = None
# The control socket is one path per user by default: two servers of one user would fight
# over it, and nothing here uses it.
control_socket_disable = True
max_requests = int(os.environ.get("GLIMPSE_WEB_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10


def when_ready(server: Any) -> None:
    """Load every view (the URL configuration and the API) in the master, then freeze what
    it loaded before the first fork: workers share those pages instead of importing their
    own copies on their first request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports each app's URLs and views
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """Give each worker its own database connections (none is inherited from the master)."""
    from django.db import connections

    connections.close_all()


def child_exit(server: Any, worker: Any) -> None:
    """Drop a dead worker's live gauges from the shared metrics (multi-process mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
