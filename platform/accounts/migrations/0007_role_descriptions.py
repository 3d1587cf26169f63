"""Role descriptions that say what each role now does (the screening team's waiting
cases, the partner portal's referrals and reports, retention), in Dutch and English."""

from django.db import migrations, models

from accounts.role_data import role_rows


def describe_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, values in role_rows(Role):
        Role.objects.filter(code=code).update(
            description_nl=values["description_nl"], description_en=values["description_en"]
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_api_token")]

    operations = [
        migrations.AddField(
            model_name="role",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="omschrijving (Engels)"),
        ),
        migrations.RunPython(describe_roles, migrations.RunPython.noop),
    ]
