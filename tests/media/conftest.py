"""Helpers for the media API tests: upload through the real endpoint, run jobs on commit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import ApiClient


@pytest.fixture
def upload(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """Upload bytes as a multipart file; jobs queued on commit run before it returns."""

    def send(client: ApiClient, data: bytes, name: str = "upload.jpg", **fields: Any) -> Any:
        body = {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")}
        body.update({k: v for k, v in fields.items() if v is not None})
        headers: dict[str, Any] = {}
        if client.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {client.token}"
        with django_capture_on_commit_callbacks(execute=True):
            return client.client.post("/api/glimpse/v1/media", body, **headers)

    return send


@pytest.fixture
def run_commit_hooks(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """Call ``func`` and run the jobs it queues on commit."""

    def call(func: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return func()

    return call


def stored_files(media_root: Path) -> list[Path]:
    """Return every file under the media folder."""
    return sorted(p for p in media_root.rglob("*") if p.is_file())
