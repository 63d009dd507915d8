"""Model building blocks shared by every app."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from glimpse.core.ids import next_id

# The types a field is set with and read as, left for the type checker's Django plugin to fill.
_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)


class SnowflakeIdField(models.BigIntegerField[_ST, _GT]):
    """A primary key that receives a new 64-bit id when its row is first saved.

    The id is made on save, not when the object is built, so that building a model instance
    (forms, checks, validators) never touches the id store. A model may define
    ``id_shard()`` to put its rows on a chosen logical shard (its owner's, typically).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("editable", False)
        # A default tells Django that a new instance's pk is fresh: it inserts straight
        # away instead of trying an UPDATE first.
        kwargs["default"] = next_id
        super().__init__(*args, **kwargs)

    def get_default(self) -> None:
        """Leave the id empty on a new instance; save() fills it."""
        return None

    def get_pk_value_on_save(self, instance: models.Model) -> int:
        """Make the id of a row about to be inserted (save and bulk_create)."""
        shard = getattr(instance, "id_shard", None)
        return next_id(shard() if callable(shard) else None)


class SnowflakeModel(models.Model):
    """A model whose primary key is a 64-bit time-sortable id."""

    id = SnowflakeIdField()

    class Meta:
        abstract = True
