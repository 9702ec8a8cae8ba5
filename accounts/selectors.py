"""Reads for accounts: a school's staff and its audit log."""

from django.db.models import Prefetch, QuerySet

from accounts.models import AuditEvent, Membership, User
from accounts.roles import Role
from schools.models import School


def staff_for_school(school: School) -> QuerySet[User]:
    """Everyone with a role in ``school``, each with ``school_memberships``: their roles there
    (not at their other schools). Two queries however many people."""
    return (
        User.objects.filter(memberships__school=school)
        .distinct()
        .order_by("full_name", "email")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(school=school).order_by("role"),
                to_attr="school_memberships",
            )
        )
    )


def role_labels(memberships: list[Membership]) -> list[str]:
    """Role names in the order of the role table, not alphabetical."""
    held = {m.role for m in memberships}
    return [role.label for role in Role if role in held]


def audit_events_for_school(school: School) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(school=school).select_related("actor", "content_type")
