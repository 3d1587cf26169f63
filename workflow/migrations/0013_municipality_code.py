"""A person's municipality becomes a CBS code from the reference list: typed names that
match a municipality (ignoring case, accents and a province suffix such as "(O.)") get
its code; names that match none, or several, are cleared, since the field is a choice
from now on (the statistics and the map count and filter by code, hence the index)."""

from django.db import connection, migrations, models

import configuratie.gemeenten
from configuratie.gemeenten import code_for_name, name_of


def names_to_codes(apps, schema_editor) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT municipality FROM workflow_involvedperson WHERE municipality <> ''"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(
                "UPDATE workflow_involvedperson SET municipality = %s WHERE municipality = %s",
                [code_for_name(name), name],
            )


def codes_to_names(apps, schema_editor) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT municipality FROM workflow_involvedperson WHERE municipality <> ''"
        )
        for (code,) in cursor.fetchall():
            cursor.execute(
                "UPDATE workflow_involvedperson SET municipality = %s WHERE municipality = %s",
                [name_of(code), code],
            )


class Migration(migrations.Migration):
    dependencies = [("workflow", "0012_remove_caseconference")]

    operations = [
        migrations.RunPython(names_to_codes, codes_to_names),
        migrations.AlterField(
            model_name="involvedperson",
            name="municipality",
            field=models.CharField(
                blank=True,
                choices=configuratie.gemeenten.municipality_choices,
                db_index=True,
                max_length=6,
                verbose_name="gemeente",
            ),
        ),
    ]
