from django.db import migrations, models


def fill_domains(apps, schema_editor):
    """Give every account of another server the host of its ``name@host`` username."""
    User = apps.get_model("accounts", "User")
    for pk, username in User.objects.filter(username__contains="@").values_list("pk", "username"):
        host = username.rsplit("@", 1)[1].split("~", 1)[0]
        host = host.rsplit(":", 1)[0] if ":" in host else host
        User.objects.filter(pk=pk).update(domain=host.lower())


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_remote_usernames"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="domain",
            field=models.CharField(blank=True, db_index=True, default="", max_length=255),
        ),
        migrations.RunPython(fill_domains, migrations.RunPython.noop),
    ]
