"""Log lines as JSON objects, one a line, carrying the request id and the running job.

``LOGGING`` in the settings attaches :class:`ContextFilter` to the console handler and picks
:class:`JsonFormatter` when ``GLIMPSE_LOG_FORMAT=json`` (the production default).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from celery import current_task

from glimpse.core.request_id import REQUEST_ID


class ContextFilter(logging.Filter):
    """Add the request id and the running job (name and id) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Annotate the record; never drop it."""
        record.request_id = REQUEST_ID.get()
        # A proxy to the job this thread runs, falsy outside one; a job called as a plain
        # function has no id and counts as none.
        task_id = current_task.request.id if current_task else None
        record.task = current_task.name if task_id else None
        record.task_id = task_id
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message and context."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a single line of JSON."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in ("request_id", "task", "task_id"):
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


def keep_settings_logging(**kwargs: Any) -> None:
    """Keep the settings' LOGGING in Celery workers (Celery ``setup_logging``).

    Celery replaces the root logger's handlers with its own format unless a receiver of
    this signal exists; connecting it keeps workers' lines in the same (JSON) format.
    """
