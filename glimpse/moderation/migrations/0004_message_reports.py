"""A report, a case and a logged action may be about a direct message."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0003_hidden_content_to_graph'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='target_type',
            field=models.CharField(choices=[('post', 'Post'), ('comment', 'Comment'), ('story', 'Story'), ('account', 'Account'), ('message', 'Message')], max_length=8),
        ),
        migrations.AlterField(
            model_name='moderationaction',
            name='target_type',
            field=models.CharField(choices=[('post', 'Post'), ('comment', 'Comment'), ('story', 'Story'), ('account', 'Account'), ('message', 'Message')], max_length=8),
        ),
        migrations.AlterField(
            model_name='report',
            name='target_type',
            field=models.CharField(choices=[('post', 'Post'), ('comment', 'Comment'), ('story', 'Story'), ('account', 'Account'), ('message', 'Message')], max_length=8),
        ),
    ]
