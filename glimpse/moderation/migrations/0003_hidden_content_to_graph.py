"""The content hidden by reports is now read by the visibility policy from graph's table:
copy there the targets of the cases hidden today, and drop the index the policy used here."""

from django.db import migrations, models

KINDS = ('post', 'comment', 'story')


def hidden_cases_copy(apps, schema_editor):
    Case = apps.get_model('moderation', 'Case')
    HiddenContent = apps.get_model('graph', 'HiddenContent')
    db = schema_editor.connection.alias
    hidden = Case.objects.using(db).filter(state='hidden', target_type__in=KINDS)
    HiddenContent.objects.using(db).bulk_create(
        (
            HiddenContent(kind=kind, target_id=target_id, hidden_at=updated_at)
            for kind, target_id, updated_at in hidden.values_list(
                'target_type', 'target_id', 'updated_at'
            ).iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


def hidden_cases_uncopy(apps, schema_editor):
    Case = apps.get_model('moderation', 'Case')
    HiddenContent = apps.get_model('graph', 'HiddenContent')
    db = schema_editor.connection.alias
    for kind in KINDS:
        hidden = Case.objects.using(db).filter(state='hidden', target_type=kind)
        HiddenContent.objects.using(db).filter(
            kind=kind, target_id__in=hidden.values('target_id')
        ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('graph', '0003_hidden_content'),
        ('moderation', '0002_media_block_to_media'),
    ]

    operations = [
        migrations.RunPython(hidden_cases_copy, hidden_cases_uncopy),
        migrations.RemoveIndex(model_name='case', name='moderation_case_state'),
    ]
