"""Media items keep a focal point (two nullable fractions), as Mastodon's clients set it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0002_media_block"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediaitem",
            name="focus_x",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="mediaitem",
            name="focus_y",
            field=models.FloatField(blank=True, null=True),
        ),
    ]
