"""The web's "new collection" action: the collection and the save are one change or none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.posts import services
from glimpse.posts.models import Collection, Post
from glimpse.posts.services import saves
from tests.posts.conftest import snapshot
from tests.posts.test_web import HTMX, browser

pytestmark = pytest.mark.django_db


def test_a_failed_save_leaves_no_collection(
    make_user: Callable[..., User], publish: Callable[..., Post], monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    real = saves.save_create

    def gone_meanwhile(**kwargs: Any) -> Post:
        # The author deletes the post between the collection's creation and the save.
        Post.objects.filter(pk=post.pk).delete()
        return real(**kwargs)

    monkeypatch.setattr(saves, "save_create", gone_meanwhile)
    monkeypatch.setattr(services, "save_create", gone_meanwhile)
    before = snapshot()
    answer = browser(bea).post(
        reverse("posts:collection_new", args=[post.pk]), {"name": "Blue hours"}, headers=HTMX
    )
    assert answer.status_code == 404
    assert not Collection.objects.filter(owner=bea).exists()
    assert snapshot() == before  # the post's deletion was rolled back with the rest
