from django.db import migrations


def load(apps, schema_editor):
    from qalxan.intel.warninglists import ensure_builtin

    ensure_builtin(apps.get_model("intel", "WarningList"), apps.get_model("intel", "WarningListEntry"))


class Migration(migrations.Migration):
    dependencies = [("intel", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
