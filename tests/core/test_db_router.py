"""Safe requests read from a replica; writes, transactions and recent writers use the primary."""

from __future__ import annotations

import time

import pytest
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from glimpse.accounts.models import User
from glimpse.core.db_router import (
    WROTE_COOKIE,
    PrimaryReplicaRouter,
    ReplicaReadsMiddleware,
    replica_reads,
)
from tests.core.test_production import _run


@pytest.fixture
def router(settings) -> PrimaryReplicaRouter:
    settings.GLIMPSE_DATABASE_REPLICAS = ["replica1"]
    return PrimaryReplicaRouter()


def test_reads_use_the_primary_unless_a_request_allows_a_replica(router) -> None:
    assert router.db_for_read(User) == DEFAULT_DB_ALIAS
    with replica_reads():
        assert router.db_for_read(User) == "replica1"
    assert router.db_for_read(User) == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary(router) -> None:
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS


def test_writes_and_migrations_go_to_the_primary_only(router) -> None:
    with replica_reads():
        assert router.db_for_write(User) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "accounts")
    assert not router.allow_migrate("replica1", "accounts")


def test_without_replicas_every_read_uses_the_primary(settings) -> None:
    settings.GLIMPSE_DATABASE_REPLICAS = []
    with replica_reads():
        assert PrimaryReplicaRouter().db_for_read(User) == DEFAULT_DB_ALIAS


def _served_by(router: PrimaryReplicaRouter, request: HttpRequest) -> tuple[str, HttpResponse]:
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(User))
        return HttpResponse("ok")

    response = ReplicaReadsMiddleware(view)(request)
    return seen[0], response


def test_a_get_reads_from_a_replica_and_a_post_from_the_primary(router) -> None:
    factory = RequestFactory()
    assert _served_by(router, factory.get("/feed"))[0] == "replica1"
    database, response = _served_by(router, factory.post("/like"))
    assert database == DEFAULT_DB_ALIAS
    assert float(response.cookies[WROTE_COOKIE].value) > time.time()


def test_a_client_that_just_wrote_reads_from_the_primary_until_the_lag_passes(router) -> None:
    factory = RequestFactory()
    fresh = factory.get("/feed")
    fresh.COOKIES[WROTE_COOKIE] = str(time.time() + 3)
    assert _served_by(router, fresh)[0] == DEFAULT_DB_ALIAS
    for stale in (str(time.time() - 1), "not-a-time"):
        old = factory.get("/feed")
        old.COOKIES[WROTE_COOKIE] = stale
        assert _served_by(router, old)[0] == "replica1"


def test_replica_urls_in_the_environment_configure_the_aliases_and_the_middleware(
    tmp_path,
) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.db import router\n"
        "from glimpse.accounts.models import User\n"
        "from glimpse.core.db_router import replica_reads\n"
        "with replica_reads():\n"
        "    print(router.db_for_read(User))\n"
        "print(sorted(settings.DATABASES))\n"
        "print('glimpse.core.db_router.ReplicaReadsMiddleware' in settings.MIDDLEWARE)\n"
    )
    done = _run(
        ["-c", script],
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "GLIMPSE_DATA_DIR": str(tmp_path),
            "DATABASE_URL": url,
            "DATABASE_REPLICA_URLS": f"{url},{url}",
        },
    )
    assert done.returncode == 0, done.stderr
    chosen, aliases, middleware = done.stdout.split("\n")[:3]
    assert chosen in {"replica1", "replica2"}
    assert aliases == "['default', 'replica1', 'replica2']"
    assert middleware == "True"
