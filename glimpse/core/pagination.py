"""Cursor pagination by id: ``max_id`` and ``limit`` in, ``next_max_id`` out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypedDict, TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet

from glimpse.core.errors import InvalidInput

M = TypeVar("M", bound=Model)
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list (rows, or their ids), newest first, and the cursor to the next one."""

    items: Sequence[T]
    next_max_id: int | None


def cursor_json(next_max_id: int | None) -> str | None:
    """Return a page's cursor as the API writes it (ids are strings in JSON)."""
    return str(next_max_id) if next_max_id else None


class ItemsJson(TypedDict, Generic[T]):
    """A whole list as the API answers it: ``{"items": [...]}``."""

    items: list[T]


class PageJson(ItemsJson[T]):
    """One page of a list as the API answers it: ``{"items": [...], "next_max_id": ...}``."""

    next_max_id: str | None


def clamp_limit(limit: int | None) -> int:
    """Return a page size within the configured bounds, or refuse a non-positive one."""
    if limit is None:
        return settings.GLIMPSE_PAGE_SIZE_DEFAULT
    if limit < 1:
        raise InvalidInput(fields={"limit": ["Must be at least 1."]})
    return min(limit, settings.GLIMPSE_PAGE_SIZE_MAX)


def paginate(
    queryset: QuerySet[M],
    *,
    max_id: int | None,
    limit: int | None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> Page[M]:
    """Return the items with an id below ``max_id``, newest first, and the next cursor.

    ``since_id`` keeps only the items above it (still the newest first); ``min_id`` keeps
    the items just above it instead (the page that follows it, read upwards), as
    Mastodon's clients ask for when they catch up with a list.
    """
    size = clamp_limit(limit)
    if max_id is not None:
        queryset = queryset.filter(pk__lt=max_id)
    if since_id is not None:
        queryset = queryset.filter(pk__gt=since_id)
    if min_id is not None:
        rows = list(queryset.filter(pk__gt=min_id).order_by("pk")[:size])
        return Page(items=rows[::-1], next_max_id=rows[0].pk if rows else None)
    rows = list(queryset.order_by("-pk")[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return Page(items=rows, next_max_id=rows[-1].pk if has_more else None)
