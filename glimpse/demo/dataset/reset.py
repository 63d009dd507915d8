"""Empty the tables the data set fills, and every table that refers to them."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

from glimpse.accounts.models import User
from glimpse.demo.dataset.pool import OWNER
from glimpse.graph.models import Follow, FollowRequest
from glimpse.media.models import MediaItem
from glimpse.posts.models import Comment, Hashtag, Like, Place, Post, PostHashtag, PostItem, Repost

FILLED: tuple[type[Model], ...] = (
    User,
    Follow,
    FollowRequest,
    Place,
    Hashtag,
    Post,
    MediaItem,
    PostItem,
    PostHashtag,
    Like,
    Comment,
    Repost,
)


def tables_empty() -> bool:
    """Tell whether no account exists yet (a pool owner left by an interrupted run aside)."""
    return not User.objects.exclude(username=OWNER).exists()


def tables_reset() -> None:
    """Delete every row of the filled tables and of the tables that refer to them."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(quote(m._meta.db_table) for m in FILLED)
            # Rows written earlier in the same transaction leave deferred foreign-key checks
            # pending (accounts refer to accounts, the one they moved to), and TRUNCATE
            # refuses a table with pending checks: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {names} CASCADE")
            return
        # What TRUNCATE ... CASCADE does: plain DELETEs of every table that points at the
        # filled ones. Foreign keys are checked at commit, so the order does not matter, and
        # no ORM cascade has to load a row.
        for model in _referring(FILLED):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608


def _referring(roots: tuple[type[Model], ...]) -> list[type[Model]]:
    """Return the roots and every model that refers to one of them, directly or not."""
    found: dict[type[Model], None] = dict.fromkeys(roots)
    models = apps.get_models(include_auto_created=True)
    grew = True
    while grew:
        grew = False
        for model in models:
            if model in found:
                continue
            targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
            if targets & found.keys():
                found[model] = None
                grew = True
    return list(found)
