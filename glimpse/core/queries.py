"""Small query shapes the database plans better than their obvious spelling."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Subquery
from django.db.models.lookups import IsNull


def first_found(rows: QuerySet[Any], column: str = "pk") -> IsNull:
    """Return a condition true when the correlated ``rows`` hold at least one row.

    It means what ``Exists(rows)`` means, but PostgreSQL turns an EXISTS into a semi-join,
    and for a policy check (a hashtag used by a post the viewer may see) it then hashed every
    post of the network before looking at the few outer rows (1.8 s on a million posts).
    A scalar subquery is never pulled up: it runs per outer row, through the correlated
    column's index, and stops at the first row found. Order ``rows`` as an index of the
    correlated column does (a place's posts by ``-pk``), so that the first row is read
    from that index rather than after reading them all.
    """
    return IsNull(Subquery(rows.values(column)[:1]), False)
