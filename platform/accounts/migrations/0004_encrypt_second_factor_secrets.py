"""TOTP secrets and recovery-code seeds stored encrypted (the MFA adapter encrypts new
ones); those stored before are encrypted here."""

from django.db import migrations

from meldpunt.encryption import encrypt
from meldpunt.encryption_maintenance import plain_value

SECRET_KEYS = ("secret", "seed")


def encrypt_secrets(apps, schema_editor) -> None:
    authenticator = apps.get_model("mfa", "Authenticator")
    for item in authenticator.objects.all():
        data = dict(item.data)
        for key in SECRET_KEYS:
            if data.get(key):
                data[key] = encrypt(plain_value(data[key]))
        if data.get("migrated_codes"):
            data["migrated_codes"] = [encrypt(plain_value(code)) for code in data["migrated_codes"]]
        item.data = data
        item.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_rolegrant"), ("mfa", "0003_authenticator_type_uniq")]

    operations = [migrations.RunPython(encrypt_secrets, migrations.RunPython.noop)]
