"""The migrations that moved moderation's state into the apps below it keep every row: the
blocklist's table passes to media as it is, and today's hidden cases are copied into graph's
table of hidden content (and taken out of it again when the migration is reversed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.apps.registry import Apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor

from glimpse.accounts.models import User
from glimpse.graph.models import HiddenContent
from glimpse.media.models import MediaBlock

pytestmark = pytest.mark.django_db(transaction=True)

Node = tuple[str, str]
BEFORE_MOVE: list[Node] = [("media", "0001_initial"), ("moderation", "0001_initial")]
BEFORE_COPY: list[Node] = [
    ("graph", "0003_hidden_content"),
    ("moderation", "0002_media_block_to_media"),
]
# Moderation's model of the blocklist, before the move (it is no model of the app any more).
OLD_BLOCK = ("moderation", "MediaBlock")


def migrate(targets: list[Node]) -> Apps:
    """Migrate the test database to these nodes; return the models as they stand there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest() -> Iterator[None]:
    """Leave the database migrated to the latest state, whatever the test did."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_blocklist_moves_to_media_with_its_rows(make_user, latest: None) -> None:
    moderator = make_user("mod")
    old = migrate(BEFORE_MOVE)
    action = old.get_model("moderation", "ModerationAction").objects.create(
        moderator_id=moderator.pk, action="remove", target_type="post", target_id=7, reason="x"
    )
    old.get_model(*OLD_BLOCK).objects.create(
        phash="00ff00ff00ff00ff", source="post 7 removed", action_id=action.pk
    )
    old_type = ContentType.objects.get_or_create(app_label="moderation", model="mediablock")[0]
    ContentType.objects.filter(app_label="media", model="mediablock").delete()
    ContentType.objects.clear_cache()

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    (block,) = MediaBlock.objects.all()
    assert (block.phash, block.source, block.action_id) == (
        "00ff00ff00ff00ff",
        "post 7 removed",
        action.pk,
    )
    # The same content type (and so the permissions granted on it) now names media's model.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(MediaBlock).pk == old_type.pk
    # Media sits below moderation: the id no longer needs an action row behind it.
    MediaBlock.objects.create(phash="0123456789abcdef", source="elsewhere", action_id=1)
    assert MediaBlock.objects.count() == 2


def test_the_move_runs_backwards_with_the_foreign_key_back(make_user, latest: None) -> None:
    old = migrate(BEFORE_MOVE)
    blocks = old.get_model(*OLD_BLOCK).objects
    with pytest.raises(IntegrityError):
        blocks.create(phash="0123456789abcdef", source="x", action_id=123456789)


def test_hidden_cases_are_copied_to_graph_and_back(make_user, latest: None) -> None:
    author = make_user("author")
    old = migrate(BEFORE_COPY)
    cases = old.get_model("moderation", "Case").objects
    when = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    made: list[dict[str, Any]] = [
        {"target_type": "post", "target_id": 11, "state": "hidden"},
        {"target_type": "comment", "target_id": 11, "state": "hidden"},
        {"target_type": "story", "target_id": 12, "state": "hidden"},
        {"target_type": "post", "target_id": 13, "state": "open"},
        {"target_type": "post", "target_id": 14, "state": "resolved"},
        {"target_type": "account", "target_id": author.pk, "state": "open"},
    ]
    for row in made:
        cases.create(account_id=author.pk, updated_at=when, **row)
    # A row already there (a hide after graph's migration) is kept once.
    old.get_model("graph", "HiddenContent").objects.create(kind="story", target_id=12)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    copied = {(h.kind, h.target_id): h.hidden_at for h in HiddenContent.objects.all()}
    assert sorted(copied) == [("comment", 11), ("post", 11), ("story", 12)]
    assert copied[("post", 11)] == copied[("comment", 11)] == when
    assert User.objects.filter(pk=author.pk).exists()

    migrate(BEFORE_COPY)
    assert not HiddenContent.objects.exists()
