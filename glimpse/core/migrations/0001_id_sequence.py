from django.db import migrations

from glimpse.core.ids import POSTGRES_SEQUENCE


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {POSTGRES_SEQUENCE} CYCLE")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {POSTGRES_SEQUENCE}")


class Migration(migrations.Migration):
    """Create the PostgreSQL sequence that feeds the ids' sequence bits."""

    dependencies: list = []
    operations = [migrations.RunPython(create_sequence, drop_sequence)]
