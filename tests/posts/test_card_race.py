"""A reader that loaded a post before an edit committed never gets its old card served.

The interleaving is made with explicit steps, no thread and no sleep: the reader's load
runs the edit (and what it does after commit) between reading the post and handing the
card back, which is where a slower reader in another process would be.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts import cards as account_cards
from glimpse.accounts.services import profile_update
from glimpse.core.db_router import PrimaryReplicaRouter, replica_reads
from glimpse.posts import cards
from glimpse.posts import services as post_services
from glimpse.posts.models import Post

pytestmark = pytest.mark.django_db


def interleaved(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, edit: Callable[[], Any]
) -> list[str]:
    """Make the next load of ``module.name`` run ``edit`` after it read the database."""
    real = getattr(module, name)
    steps: list[str] = []

    def load(ids: set[int]) -> dict[int, Any]:
        loaded = real(ids)  # 1. the reader reads the record as it is now
        steps.append("reader loaded")
        if len(steps) == 1:
            edit()  # 2. the edit commits and drops the card
            steps.append("edit committed")
        return loaded  # 3. the reader writes what it read

    monkeypatch.setattr(module, name, load)
    return steps


def test_a_stale_reader_loses_to_an_edit(
    monkeypatch: pytest.MonkeyPatch,
    make_user: Callable[..., Any],
    publish: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = make_user("ana")
    post = publish(ana, count=2, caption="old caption")
    kept, removed = (item.media_id for item in post.items.order_by("position"))

    def edit() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            post_services.post_update(
                actor=ana, post_id=post.pk, caption="new caption", media_ids=[kept]
            )

    steps = interleaved(monkeypatch, cards, "_posts_load", edit)
    stale = cards.post_cards([post.pk])[post.pk]
    assert steps == ["reader loaded", "edit committed"]
    assert stale.caption == "old caption"  # what that reader saw, right for its moment
    assert len(stale.items) == 2

    fresh = cards.post_cards([post.pk])[post.pk]
    assert fresh.caption == "new caption"
    assert [item.media.id for item in fresh.items] == [kept]
    assert str(removed) not in repr(fresh)
    assert steps == ["reader loaded", "edit committed", "reader loaded"]  # loaded again
    assert cards.post_cards([post.pk])[post.pk].caption == "new caption"
    assert len(steps) == 3  # and cached from then on


def test_a_stale_reader_loses_to_a_profile_change(
    monkeypatch: pytest.MonkeyPatch,
    make_user: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = make_user("ana", display_name="Ana")

    def edit() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            profile_update(user=ana, display_name="Ana Lima")

    steps = interleaved(monkeypatch, account_cards, "_load", edit)
    assert account_cards.account_cards([ana.pk])[ana.pk].display_name == "Ana"
    assert steps == ["reader loaded", "edit committed"]
    assert account_cards.account_cards([ana.pk])[ana.pk].display_name == "Ana Lima"


@pytest.mark.django_db(transaction=True)  # replica reads happen outside transactions only
def test_cards_are_loaded_from_the_primary_even_in_a_replica_request(
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    make_user: Callable[..., Any],
    publish: Callable[..., Any],
) -> None:
    """A replica behind an edit would have its old copy cached under the edit's version."""
    settings.GLIMPSE_DATABASE_REPLICAS = ["replica"]
    router = PrimaryReplicaRouter()
    post = publish(make_user("ana"), caption="words")
    chosen: list[str] = []
    real = cards._posts_load

    def load(ids: set[int]) -> dict[int, Any]:
        chosen.append(router.db_for_read(Post))
        return real(ids)

    monkeypatch.setattr(cards, "_posts_load", load)
    with replica_reads():
        assert router.db_for_read(Post) == "replica"  # the request may read a replica
        cards.post_cards([post.pk])
        assert router.db_for_read(Post) == "replica"  # and still may, after the card
    assert chosen == ["default"]
