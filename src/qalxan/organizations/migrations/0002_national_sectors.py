"""The 10 national CII sectors and their NIS2 counterparts (DOMAIN.md)."""

from django.db import migrations

from qalxan.organizations.sectors import SECTORS, ensure_sectors


def load(apps, schema_editor):
    ensure_sectors(apps.get_model("organizations", "Sector"))


def unload(apps, schema_editor):
    apps.get_model("organizations", "Sector").objects.filter(code__in=[s[0] for s in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
