"""Fixtures for insights: an empty buffer per test, real posts, and after-commit hooks run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.insights.buffer import get_buffer
from glimpse.insights.models import (
    AccountDay,
    FlushedBatch,
    FollowEvent,
    ImpressionTally,
    PostDay,
    PostViewer,
    ProfileVisit,
    RolledDay,
    ShareEvent,
)
from tests.graph.conftest import api_as, web_as
from tests.posts.conftest import client_for, media_for, publish

__all__ = ["api_as", "client_for", "media_for", "publish", "web_as"]

INSIGHT_MODELS = (
    ImpressionTally,
    PostViewer,
    FlushedBatch,
    ProfileVisit,
    FollowEvent,
    ShareEvent,
    PostDay,
    AccountDay,
    RolledDay,
)

Run = Callable[[Callable[[], Any]], Any]


@pytest.fixture(autouse=True)
def _empty_buffer() -> Iterator[None]:
    """Start and end each test with an empty impression buffer (memory or Redis)."""
    get_buffer().clear()
    yield
    get_buffer().clear()


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Run:
    """Call a service and run what it queued on commit (the follow events included)."""

    def call(func: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return func()

    return call


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana")


@pytest.fixture
def bo(make_user: Callable[..., User]) -> User:
    return make_user("bo")


@pytest.fixture
def cy(make_user: Callable[..., User]) -> User:
    return make_user("cy")


def insight_rows() -> dict[str, int]:
    """Count the rows of every insights table (to show that a refusal changed nothing)."""
    return {model.__name__: model.objects.count() for model in INSIGHT_MODELS}
