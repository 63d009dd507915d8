"""A request id for every request, echoed to the client, written in logs and carried into jobs.

The id comes from the client's (or the proxy's) ``X-Request-ID`` header when it is a sane
token, else it is made here. It lives in a context variable for the request's duration; the
jobs the request queues carry it in a message header, and a worker sets it again while it
runs the job, so one id ties a request's log lines to those of the jobs it caused.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from celery import Task
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
JOB_HEADER = "glimpse_request_id"

REQUEST_ID: ContextVar[str | None] = ContextVar("glimpse_request_id", default=None)

_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_job_tokens: dict[str, Token[str | None]] = {}


class RequestIdMiddleware:
    """Take the request's id from ``X-Request-ID`` or make one; echo it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        token = REQUEST_ID.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        response[HEADER] = request_id
        return response


def request_id_from(sent: str | None) -> str:
    """Return the id a client sent if it is a sane token, else a new random one."""
    if sent is not None and _SANE.fullmatch(sent):
        return sent
    return uuid.uuid4().hex


def job_publishing(*, headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """Put the current request id in a job's message headers (Celery ``before_task_publish``)."""
    request_id = REQUEST_ID.get()
    if request_id is not None and headers is not None:
        headers.setdefault(JOB_HEADER, request_id)


def job_started(*, task_id: str, task: Task[Any, Any], **kwargs: Any) -> None:
    """Set the request id of the job's message while it runs (Celery ``task_prerun``).

    A job run eagerly has no message: it keeps the id of the request that runs it.
    """
    request = task.request
    carried = (request.headers or {}).get(JOB_HEADER) or getattr(request, JOB_HEADER, None)
    if isinstance(carried, str) and _SANE.fullmatch(carried):
        _job_tokens[task_id] = REQUEST_ID.set(carried)


def job_finished(*, task_id: str, **kwargs: Any) -> None:
    """Put back the request id from before the job (Celery ``task_postrun``)."""
    token = _job_tokens.pop(task_id, None)
    if token is not None:
        REQUEST_ID.reset(token)
