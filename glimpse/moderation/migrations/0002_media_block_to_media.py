"""The blocklist of removed images now belongs to media (its migration 0002 took the state).

The table stays; its column ``action_id`` keeps the audit log's ids but loses the foreign key
constraint, since media sits below moderation. The content type follows the model, so that
the permissions granted on it are kept.
"""

import django.db.models.deletion
from django.db import migrations, models


def content_type_to_media(apps, schema_editor):
    _content_type_move(apps, schema_editor, source='moderation', target='media')


def content_type_to_moderation(apps, schema_editor):
    _content_type_move(apps, schema_editor, source='media', target='moderation')


def _content_type_move(apps, schema_editor, *, source, target):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=target, model='mediablock').exists():
        types.filter(app_label=source, model='mediablock').update(app_label=target)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('media', '0002_media_block'),
        ('moderation', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='mediablock',
            name='action',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='moderation.moderationaction'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='MediaBlock')],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_media, content_type_to_moderation),
    ]
