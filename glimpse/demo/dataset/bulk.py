"""PostgreSQL's bulk-load recipe: load without secondary indexes and foreign-key triggers.

Inserting 30 million rows one index entry and one deferred foreign-key check at a time costs
the server far more than the COPY itself. Inside the load's transaction the secondary
indexes (those not backing a primary key or unique constraint) are dropped and built again
at the end, one sort each; and, as ``pg_restore --disable-triggers`` does, a superuser skips
the foreign-key triggers (the generator only refers to rows it made; the tests recount).
It is all one transaction: a failed load leaves the schema as it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.db.models import Model

SECONDARY_INDEXES = """
SELECT i.indexname, i.indexdef
FROM pg_indexes i
WHERE i.schemaname = current_schema()
  AND i.tablename = ANY(%s)
  AND NOT EXISTS (
    SELECT 1 FROM pg_constraint c
    WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
  )
ORDER BY i.tablename, i.indexname
"""


@contextmanager
def bulk_load(models: Sequence[type[Model]]) -> Iterator[None]:
    """Load the models' tables fast inside the current transaction (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        superuser = bool(row and row[0])
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(SECONDARY_INDEXES, [[m._meta.db_table for m in models]])
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        # Sorting for an index build in memory instead of in temporary files.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
