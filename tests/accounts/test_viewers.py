"""The one answer to "who is asking": an account, or None for anonymous callers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from glimpse.accounts.models import User
from glimpse.accounts.viewers import request_viewer, request_viewer_or_none, viewer_or_none


def test_viewer_or_none_keeps_saved_accounts_only(user: User) -> None:
    assert viewer_or_none(user) is user
    assert viewer_or_none(AnonymousUser()) is None
    assert viewer_or_none(User(username="unsaved")) is None
    assert viewer_or_none(None) is None
    assert viewer_or_none("ana") is None


def test_request_viewers(rf: RequestFactory, user: User) -> None:
    signed_in = rf.get("/")
    signed_in.user = user
    visitor = rf.get("/")
    visitor.user = AnonymousUser()
    assert request_viewer(signed_in) is user
    assert request_viewer_or_none(signed_in) is user
    assert request_viewer_or_none(visitor) is None
    with pytest.raises(AssertionError):
        request_viewer(visitor)
