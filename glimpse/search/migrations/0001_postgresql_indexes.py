"""PostgreSQL only: the pg_trgm extension and the search indexes; nothing on other databases."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# (name, table, expression) of each GIN index. The full-text expressions are the ones
# SearchVector(<column>, config="simple") generates, so that the planner can use them.
# Trigram indexes serve both the similarity operator (`%`, on the column) and Django's
# case-insensitive lookups (`UPPER(col::text) LIKE UPPER(...)`, on that expression).
INDEXES = (
    ("search_user_username_trgm", "accounts_user", "username gin_trgm_ops"),
    ("search_user_display_name_trgm", "accounts_user", "display_name gin_trgm_ops"),
    ("search_user_username_upper_trgm", "accounts_user", "UPPER(username::text) gin_trgm_ops"),
    (
        "search_user_display_name_upper_trgm",
        "accounts_user",
        "UPPER(display_name::text) gin_trgm_ops",
    ),
    ("search_hashtag_name_trgm", "posts_hashtag", "name gin_trgm_ops"),
    (
        "search_post_caption_fts",
        "posts_post",
        "to_tsvector('simple'::regconfig, COALESCE(caption, ''))",
    ),
    (
        "search_postitem_alt_text_fts",
        "posts_postitem",
        "to_tsvector('simple'::regconfig, COALESCE(alt_text, ''))",
    ),
)


def create(apps: Any, schema_editor: Any) -> None:
    """Create pg_trgm and the GIN indexes, on PostgreSQL only."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        if expression.endswith(" gin_trgm_ops"):
            column = expression.removesuffix(" gin_trgm_ops")
            indexed = f"{column} gin_trgm_ops" if "(" not in column else f"({column}) gin_trgm_ops"
        else:
            indexed = f"({expression})"
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({indexed})")


def drop(apps: Any, schema_editor: Any) -> None:
    """Drop the GIN indexes (the extension stays: other objects may use it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("posts", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
