"""Model building blocks shared by every app."""

from django.db import models

from glimpse.core.ids import next_id


class SnowflakeModel(models.Model):
    """A model whose primary key is a 64-bit time-sortable id."""

    id = models.BigIntegerField(primary_key=True, default=next_id, editable=False)

    class Meta:
        abstract = True
