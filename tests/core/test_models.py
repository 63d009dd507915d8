"""Snowflake primary keys are made on insert, never when an object is only built."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import ApiToken, User
from glimpse.core import ids


@pytest.mark.django_db
def test_building_an_instance_makes_no_id_and_no_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        user = User(username="built", email="built@example.com")
    assert user.pk is None
    assert len(queries) == 0


@pytest.mark.django_db
def test_save_inserts_once_with_a_fresh_id() -> None:
    user = User(username="saved", email="saved@example.com")
    with CaptureQueriesContext(connection) as queries:
        user.save()
    inserts = [q for q in queries if q["sql"].startswith("INSERT")]
    updates = [q for q in queries if q["sql"].startswith("UPDATE")]
    assert len(inserts) == 1
    assert updates == []
    assert User.objects.get(pk=user.pk).username == "saved"


@pytest.mark.django_db
def test_bulk_create_gives_every_row_an_id(user: User) -> None:
    tokens = ApiToken.objects.bulk_create(
        ApiToken(user=user, name=f"t{n}", prefix="glp_", digest=f"{n:064d}") for n in range(5)
    )
    made = [t.pk for t in tokens]
    assert None not in made
    assert len(set(made)) == 5
    assert ApiToken.objects.filter(pk__in=made).count() == 5


@pytest.mark.django_db
def test_a_model_can_choose_the_shard_of_its_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(User, "id_shard", lambda self: 42, raising=False)
    user = User.objects.create(username="sharded", email="sharded@example.com")
    assert ids.shard_of(user.pk) == 42
