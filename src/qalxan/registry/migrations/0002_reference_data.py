"""Subsectors, criticality criteria and category rules shipped with the registry."""

from django.db import migrations

from qalxan.registry.reference import ensure_reference_data


def load(apps, schema_editor):
    ensure_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_registry"), ("organizations", "0002_national_sectors")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
