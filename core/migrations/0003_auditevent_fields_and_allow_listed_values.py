"""The audit log keeps field names and allow-listed values, never free text about a child.

From this migration on, ``core.audit.audit_record`` writes the names of the fields that changed
to the new ``fields`` column and, in ``changes``, only values the record's model allow-lists
(``audit_values``) or a generic key (``core.audit.GENERIC_VALUES``); a non-enum action or any
other key is refused.

What rows written BEFORE this migration hold (their ``fields`` is ``[]``):

- ``changes`` is ``{"field": [old, new]}`` (or ``{"key": value}`` for reads and imports), for
  any field the service passed.
- ``contact.added`` / ``contact.updated`` / ``contact.ended`` and ``care_episode.added`` /
  ``care_episode.updated`` / ``care_episode.ended`` rows may hold a contact's or an episode's
  ``notes`` text, and contact rows the person's ``name``, ``email``, ``phone``, ``team`` and
  ``relationship``.
- ``pupil.created`` / ``pupil.updated`` rows hold the child's names, date of birth and UPN;
  ``pupil.left`` the destination school's name; ``leaving_task.completed`` no notes.
- ``pupils.imported`` rows hold the uploaded file's name; ``term_dates.closure_*`` a
  closure's reason; ``virtual_school*`` rows contact names and addresses (staff, not
  children).
- ``object_repr`` of rows older still may name a child (accounts.selectors.audit_rows_for
  never renders it for a viewer who may not see children).

The table is append-only (the trigger of accounts migration 0002 refuses UPDATE and DELETE),
so those rows stay as they are: nothing here rewrites them. The audit page shows the school
administrator, who sees no child, only the field names of any event about a child, old or
new; the head, who may see the cohort, reads the old values as before.

Adding the column does not fire the trigger: PostgreSQL adds a column with a default without
updating any row.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_report_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="fields",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
