"""Loads the roles of DESIGN.md from data/roles.json into every schema."""

from django.db import migrations

from accounts.role_data import role_rows


def load_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, values in role_rows(Role):
        Role.objects.update_or_create(code=code, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_roles, migrations.RunPython.noop)]
