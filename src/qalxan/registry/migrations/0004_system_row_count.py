"""PostgreSQL: the number of registered systems kept by triggers (core.counts), so that the unfiltered
registry list and API list do not count 50,000 rows on every page."""

from django.db import migrations

from qalxan.core.counts import install_sql, uninstall_sql

TABLE = "registry_informationsystem"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in install_sql(TABLE):
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in uninstall_sql(TABLE):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_name_search_trigram_indexes"), ("core", "0006_row_counts")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
