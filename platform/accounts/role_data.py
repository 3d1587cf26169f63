"""The roles of DESIGN.md as data/roles.json holds them, for the migrations that load
them: each migration writes the fields the role model has at that point."""

import json
from pathlib import Path

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.json"


def role_rows(model) -> list[tuple[str, dict]]:
    """(code, values) per role, the values limited to the fields of `model` (a
    migration's historical Role)."""
    names = {field.name for field in model._meta.get_fields()}
    return [
        (row["code"], {key: value for key, value in row.items() if key != "code" and key in names})
        for row in json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    ]
