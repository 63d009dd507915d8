"""Cursor pagination walks a list newest first, without gaps or repeats."""

from __future__ import annotations

import pytest

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput
from glimpse.core.pagination import clamp_limit, paginate


@pytest.mark.django_db
def test_pages_cover_every_row_once_newest_first(make_user) -> None:
    made = [make_user() for _ in range(7)]
    seen: list[int] = []
    max_id = None
    while True:
        page = paginate(User.objects.all(), max_id=max_id, limit=3)
        seen.extend(u.pk for u in page.items)
        if page.next_max_id is None:
            break
        max_id = page.next_max_id
    assert seen == sorted((u.pk for u in made), reverse=True)


@pytest.mark.django_db
def test_last_page_has_no_cursor(make_user) -> None:
    make_user()
    make_user()
    page = paginate(User.objects.all(), max_id=None, limit=2)
    assert len(page.items) == 2
    assert page.next_max_id is None


def test_limit_is_clamped_and_must_be_positive(settings) -> None:
    assert clamp_limit(None) == settings.GLIMPSE_PAGE_SIZE_DEFAULT
    assert clamp_limit(10_000) == settings.GLIMPSE_PAGE_SIZE_MAX
    with pytest.raises(InvalidInput):
        clamp_limit(0)
