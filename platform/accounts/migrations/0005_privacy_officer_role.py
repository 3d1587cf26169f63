"""Adds the privacy officer (functionaris gegevensbescherming) of data/roles.json to
every schema that was migrated before the role existed."""

from django.db import migrations

from accounts.role_data import role_rows

CODE = "privacyofficer"


def add_role(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    values = dict(role_rows(Role))[CODE]
    Role.objects.update_or_create(code=CODE, defaults=values)


def remove_role(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_encrypt_second_factor_secrets")]

    operations = [migrations.RunPython(add_role, remove_role)]
