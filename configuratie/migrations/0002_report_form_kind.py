"""What a report form asks comes from the configuration, no longer from its code."""

from django.db import migrations, models

KIND_OF_KNOWN_CODES = {"risicotaxatieformulier": "risicotaxatie", "contactformulier": "contact"}


def kinds_of_existing_forms(apps, schema_editor) -> None:
    """Before this migration the two Limburg forms behaved differently by their codes."""
    entry = apps.get_model("configuratie", "CatalogueEntry")
    for form in entry.objects.filter(catalogue="meldformulieren"):
        form.form_kind = KIND_OF_KNOWN_CODES.get(form.code, "melding")
        form.save(update_fields=["form_kind"])


class Migration(migrations.Migration):
    dependencies = [
        ("configuratie", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogueentry",
            name="form_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("melding", "Meldformulier: zorg, signalen en betrokkenen"),
                    (
                        "risicotaxatie",
                        "Risicotaxatieformulier: ook de vragen van het risico-instrument",
                    ),
                    ("contact", "Contactformulier: zorg en betrokkenen, zonder signalenlijst"),
                ],
                max_length=20,
                verbose_name="soort formulier",
            ),
        ),
        migrations.RunPython(kinds_of_existing_forms, migrations.RunPython.noop),
    ]
