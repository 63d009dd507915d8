"""Media takes over the blocklist of removed images from moderation.

Only the model's state moves: its table (``moderation_mediablock``) and rows stay as they
are. Moderation's next migration drops the foreign key to its audit log and its own state.
"""

import django.utils.timezone
import glimpse.core.ids
import glimpse.core.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('media', '0001_initial'),
        # The table was made there; this migration only claims it.
        ('moderation', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MediaBlock',
                    fields=[
                        ('id', glimpse.core.models.SnowflakeIdField(default=glimpse.core.ids.next_id, editable=False, primary_key=True, serialize=False)),
                        ('phash', models.CharField(max_length=16)),
                        ('source', models.CharField(max_length=200)),
                        ('action_id', models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'db_table': 'moderation_mediablock',
                        'indexes': [models.Index(fields=['phash'], name='moderation_block_phash')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
