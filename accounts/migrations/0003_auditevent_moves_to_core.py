"""The audit log's model now lives in core (core 0001); its table is untouched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_append_only"), ("core", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        )
    ]
