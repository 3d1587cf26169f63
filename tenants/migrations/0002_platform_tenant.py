"""The row django-tenants needs for the public schema, reached at BASE_DOMAIN."""

from django.conf import settings
from django.db import migrations


def create_platform_tenant(apps, schema_editor):
    Region = apps.get_model("tenants", "Region")
    Domain = apps.get_model("tenants", "Domain")
    platform, _ = Region.objects.get_or_create(
        schema_name="public", defaults={"slug": "platform", "name": "Meldpuntplatform"}
    )
    Domain.objects.get_or_create(
        domain=settings.BASE_DOMAIN, defaults={"tenant": platform, "is_primary": True}
    )


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]

    operations = [migrations.RunPython(create_platform_tenant, migrations.RunPython.noop)]
