"""Fewer indexes on the audit log, which every change of the platform writes to.

The object type is found through audit_object_idx (object type, object id); action and object id
keep one plain index each, without PostgreSQL's pattern-ops twins. The old indexes are dropped by
name instead of altering the fields: on SQLite an altered field rebuilds the table, and the rebuild
would drop the append-only trigger with it.
"""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = ("action", "object_id", "content_type_id")


def drop_field_indexes(apps, schema_editor):
    model = apps.get_model("core", "AuditEntry")
    for column in COLUMNS:
        for name in schema_editor._constraint_names(model, [column], index=True, primary_key=False):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def restore_field_indexes(apps, schema_editor):
    model = apps.get_model("core", "AuditEntry")
    table = model._meta.db_table
    quote = schema_editor.quote_name
    for column in COLUMNS:
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(table)} ({quote(column)})")
        if schema_editor.connection.vendor == "postgresql" and column != "content_type_id":
            like = schema_editor._create_index_name(table, [column], suffix="_like")
            schema_editor.execute(
                f"CREATE INDEX {quote(like)} ON {quote(table)} ({quote(column)} varchar_pattern_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_notification_digest"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="action",
                    field=models.CharField(
                        choices=[
                            ("create", "created"),
                            ("update", "updated"),
                            ("delete", "deleted"),
                            ("transition", "state changed"),
                            ("import", "imported"),
                            ("export", "exported"),
                            ("login", "signed in"),
                            ("login_failed", "sign-in failed"),
                            ("logout", "signed out"),
                            ("token_created", "API token created"),
                            ("token_revoked", "API token revoked"),
                            ("two_factor", "two-factor settings changed"),
                        ],
                        max_length=32,
                        verbose_name="action",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="content_type",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="object type",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="object_id",
                    field=models.CharField(blank=True, max_length=64, verbose_name="object id"),
                ),
            ],
            database_operations=[migrations.RunPython(drop_field_indexes, restore_field_indexes)],
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["object_id"], name="audit_object_id_idx"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["action"], name="audit_action_idx"),
        ),
    ]
