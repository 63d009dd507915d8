"""A prepared query answers exactly what its QuerySet answers, compiling its SQL once a shape."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.test.utils import CaptureQueriesContext

from glimpse.accounts.models import ApiToken, User
from glimpse.core.prepared import NotPreparable, PreparedQuery
from glimpse.graph.models import Follow

pytestmark = pytest.mark.django_db


def _accounts(*, viewer: int, ids: list[int]) -> QuerySet[User, Any]:
    follows = Follow.objects.filter(follower_id=viewer, followee=OuterRef("pk"))
    return (
        User.objects.filter(pk__in=ids, is_active=True)
        .annotate(followed=Exists(follows))
        # Not by id: accounts made in the same millisecond land on random shards, and ids of
        # one millisecond order by shard, not by when they were made.
        .order_by("username")
        .values_list("followed", "username", "pk", "date_joined")
    )


@pytest.fixture
def people(make_user: Callable[..., User]) -> list[User]:
    accounts = [make_user(f"person{n}") for n in range(5)]
    Follow.objects.create(follower=accounts[0], followee=accounts[2])
    accounts[4].is_active = False
    accounts[4].save()
    return accounts


def test_rows_are_what_the_queryset_gives_with_django_s_types(people: list[User]) -> None:
    prepared = PreparedQuery(_accounts)
    viewer, ids = people[0].pk, [p.pk for p in people]
    rows = prepared.rows(viewer=viewer, ids=ids)
    assert rows == list(_accounts(viewer=viewer, ids=ids))
    assert [row[0] for row in rows] == [False, False, True, False]  # booleans, not 0 and 1
    assert all(isinstance(row[3], datetime) for row in rows)  # dates, also on SQLite
    assert [row[1] for row in rows] == ["person0", "person1", "person2", "person3"]


def test_each_call_binds_its_own_values(people: list[User]) -> None:
    prepared = PreparedQuery(_accounts)
    first = prepared.rows(viewer=people[0].pk, ids=[people[2].pk, people[3].pk])
    second = prepared.rows(viewer=people[1].pk, ids=[people[2].pk, people[1].pk])
    assert [(row[0], row[1]) for row in first] == [(True, "person2"), (False, "person3")]
    assert [(row[0], row[1]) for row in second] == [(False, "person1"), (False, "person2")]


def test_a_shape_is_built_once_and_then_costs_only_its_statement(
    people: list[User], monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []

    def build(**values: Any) -> QuerySet[User, Any]:
        built.append(len(values["ids"]))
        return _accounts(**values)

    prepared = PreparedQuery(build)
    for person in people:
        prepared.rows(viewer=person.pk, ids=[people[1].pk, people[2].pk])
    prepared.rows(viewer=people[0].pk, ids=[people[1].pk])
    assert built == [2, 1]  # one build per number of ids
    with CaptureQueriesContext(connection) as captured:
        prepared.rows(viewer=people[0].pk, ids=[people[3].pk, people[1].pk])
    assert len(captured) == 1


def test_strings_are_bound_too(make_user: Callable[..., User]) -> None:
    owner = make_user("owner")
    ApiToken.objects.create(user=owner, name="a", prefix="glp_a", digest="a" * 64)
    ApiToken.objects.create(user=owner, name="b", prefix="glp_b", digest="b" * 64)
    prepared = PreparedQuery(
        lambda *, digest: ApiToken.objects.filter(digest=digest).values_list("name", "user_id")
    )
    assert prepared.rows(digest="b" * 64) == [("b", owner.pk)]
    assert prepared.rows(digest="a" * 64) == [("a", owner.pk)]
    assert prepared.rows(digest="c" * 64) == []


def test_times_are_bound_too(people: list[User]) -> None:
    joined = sorted(person.date_joined for person in people[:4])
    prepared = PreparedQuery(
        lambda *, after: (
            User.objects.filter(date_joined__gt=after, is_active=True)
            .order_by("date_joined")
            .values_list("date_joined", flat=True)
        )
    )
    assert prepared.rows(after=joined[1]) == [(when,) for when in joined[2:]]
    assert prepared.rows(after=joined[0] - timedelta(days=1)) == [(when,) for when in joined]
    assert prepared.rows(after=joined[-1]) == []


def test_a_query_whose_shape_follows_a_value_is_refused(people: list[User]) -> None:
    def build(*, viewer: int) -> QuerySet[User, Any]:
        # The value is turned into another one before it reaches the SQL: the cached
        # statement could not be reused with another viewer, so it is refused.
        return User.objects.filter(pk=abs(viewer)).values_list("pk")

    with pytest.raises(NotPreparable):
        PreparedQuery(build).rows(viewer=people[0].pk)


def test_shapes_beyond_the_limit_forget_the_oldest(people: list[User]) -> None:
    built: list[int] = []

    def build(**values: Any) -> QuerySet[User, Any]:
        built.append(len(values["ids"]))
        return _accounts(**values)

    prepared = PreparedQuery(build, max_shapes=2)
    ids = [p.pk for p in people]
    for size in (1, 2, 3, 1):
        assert len(prepared.rows(viewer=ids[0], ids=ids[:size])) == size
    assert built == [1, 2, 3, 1]  # size 1 was forgotten when size 3 came


def test_an_empty_list_is_refused_before_any_statement(people: list[User]) -> None:
    with pytest.raises(ValueError, match="may not be empty"):
        PreparedQuery(_accounts).rows(viewer=people[0].pk, ids=[])


def test_padded_lists_share_a_statement_and_answer_the_same(people: list[User]) -> None:
    built: list[int] = []

    def build(**values: Any) -> QuerySet[User, Any]:
        built.append(len(values["ids"]))
        return _accounts(**values)

    prepared = PreparedQuery(build, pad_lists=True)
    ids = [p.pk for p in people]
    for size in range(1, 5):
        assert prepared.rows(viewer=ids[0], ids=ids[:size]) == list(
            _accounts(viewer=ids[0], ids=ids[:size])
        )
    assert built == [8]  # one to four ids: one statement, for eight


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_on_postgresql_a_shape_is_prepared_on_the_server_once(people: list[User]) -> None:
    prepared = PreparedQuery(_accounts)

    def statements() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    first = prepared.rows(viewer=people[0].pk, ids=[people[2].pk, people[3].pk])
    kept = statements()
    second = prepared.rows(viewer=people[1].pk, ids=[people[1].pk, people[2].pk])
    assert statements() == kept  # the second call reuses the first one's statement
    assert sum('"graph_follow"' in statement for statement in kept) == 1
    assert [row[1] for row in first] == ["person2", "person3"]
    assert [row[1] for row in second] == ["person1", "person2"]
