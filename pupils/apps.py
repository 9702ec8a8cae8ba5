from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"

    def ready(self) -> None:
        from accounts.redaction import register_children_lookup
        from pupils import import_kinds  # noqa: F401  (registers the pupil import)

        # The audit log and outbox label a child (by name, or initials and a record number).
        register_children_lookup(_children_of)


def _children_of(school, pupil_ids):
    from pupils.models import Pupil

    return Pupil.objects.filter(school=school, pk__in=pupil_ids).only(
        "legal_forename", "legal_surname", "preferred_forename", "preferred_surname"
    )
