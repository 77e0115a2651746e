"""RSIT classes and types, and the default SLAs per severity (taxonomy.py)."""

from django.db import migrations

from qalxan.incidents.taxonomy import ensure_reference_data


def load(apps, schema_editor):
    ensure_reference_data(apps.get_model("incidents", "TaxonomyClass"), apps.get_model("incidents", "TaxonomyType"),
                          apps.get_model("incidents", "SeverityPolicy"))


def unload(apps, schema_editor):
    apps.get_model("incidents", "TaxonomyClass").objects.all().delete()
    apps.get_model("incidents", "SeverityPolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
