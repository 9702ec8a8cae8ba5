"""On PostgreSQL the database itself refuses to change or remove a safeguarding record.

Raw SQL triggers, as the audit log's (accounts/migrations/0002_audit_append_only.py), rather than
django-pgtrigger: one more dependency for eight lines of SQL did not pay, and one function shared
by every table reads as one rule. The models refuse too (``concerns.models.AppendOnly``); these
triggers hold against raw SQL, a shell, a bug. TRUNCATE (the test runner's flush) is not a row
operation and is not refused; nothing in Harbour truncates a table.

The child protection file's transfer is filled in twice (sent, then receipt confirmed): its
trigger refuses DELETE, and any UPDATE but the one that fills in the confirmation of receipt.
"""

from django.db import migrations

APPEND_ONLY_TABLES = [
    "concerns_concern",
    "concerns_concernpupil",
    "concerns_concerncategory",
    "concerns_bodymark",
    "concerns_action",
    "concerns_decision",
    "concerns_addendum",
    "concerns_link",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION harbour_concern_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A safeguarding record is never changed or deleted (% on %): add an addendum',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION harbour_cp_file_transfer_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       OR OLD.receipt_confirmed_on IS NOT NULL
       OR (NEW.pupil_id, NEW.school_id, NEW.recipient_school, NEW.sent_on, NEW.how_sent,
           NEW.sent_by_id, NEW.created_at)
          IS DISTINCT FROM
          (OLD.pupil_id, OLD.school_id, OLD.recipient_school, OLD.sent_on, OLD.how_sent,
           OLD.sent_by_id, OLD.created_at)
    THEN
        RAISE EXCEPTION 'A child protection file transfer is only ever completed (% refused)',
            TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER concerns_cpfiletransfer_guard
    BEFORE UPDATE OR DELETE ON concerns_cpfiletransfer
    FOR EACH ROW EXECUTE FUNCTION harbour_cp_file_transfer_guard();
"""

TRIGGER = """
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION harbour_concern_record_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(TRIGGER.format(table=table), params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS concerns_cpfiletransfer_guard ON concerns_cpfiletransfer;"
        "DROP FUNCTION IF EXISTS harbour_cp_file_transfer_guard();"
        "DROP FUNCTION IF EXISTS harbour_concern_record_append_only();",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_concerns_append_only_records")]

    operations = [migrations.RunPython(forward, backward)]
