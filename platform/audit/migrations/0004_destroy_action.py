from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_changes_search_refused")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "inzien"),
                    ("search", "zoeken"),
                    ("refused", "toegang geweigerd"),
                    ("create", "aanmaken"),
                    ("change", "wijzigen"),
                    ("export", "exporteren"),
                    ("login", "inloggen"),
                    ("login_failed", "mislukte inlogpoging"),
                    ("logout", "uitloggen"),
                    ("destroy", "vernietigen"),
                ],
                max_length=20,
                verbose_name="handeling",
            ),
        ),
    ]
