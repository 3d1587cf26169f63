"""Adds the privacy officer (functionaris gegevensbescherming) of data/roles.json to
every schema that was migrated before the role existed."""

import json
from pathlib import Path

from django.db import migrations

ROLES_FILE = Path(__file__).resolve().parent.parent / "data" / "roles.json"
CODE = "privacyofficer"


def add_role(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    row = next(r for r in json.loads(ROLES_FILE.read_text(encoding="utf-8")) if r["code"] == CODE)
    Role.objects.update_or_create(code=CODE, defaults={k: v for k, v in row.items() if k != "code"})


def remove_role(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_encrypt_second_factor_secrets")]

    operations = [migrations.RunPython(add_role, remove_role)]
