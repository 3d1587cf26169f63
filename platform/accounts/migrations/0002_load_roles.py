"""Loads the roles of DESIGN.md from data/roles.json into every schema."""

import json
from pathlib import Path

from django.db import migrations

ROLES_FILE = Path(__file__).resolve().parent.parent / "data" / "roles.json"


def load_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for row in json.loads(ROLES_FILE.read_text(encoding="utf-8")):
        Role.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_roles, migrations.RunPython.noop)]
