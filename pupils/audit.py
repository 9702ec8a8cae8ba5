"""What the audit log calls the events of pupils: the register, a child's record and its
history, contacts, leaving, and who read them."""

from core.audit import AuditAction


class PupilAction(AuditAction):
    COHORT_VIEWED = "cohort.viewed"
    COHORT_EXPORTED = "cohort.exported"
    VIEWED = "pupil.viewed"
    CREATED = "pupil.created"
    UPDATED = "pupil.updated"
    LEFT = "pupil.left"
    IMPORTED = "pupils.imported"
    CARE_EPISODE_ADDED = "care_episode.added"
    CARE_EPISODE_UPDATED = "care_episode.updated"
    CARE_EPISODE_ENDED = "care_episode.ended"
    CONTACT_ADDED = "contact.added"
    CONTACT_UPDATED = "contact.updated"
    CONTACT_ENDED = "contact.ended"
    LEAVING_CHECKLIST_STARTED = "leaving_checklist.started"
    LEAVING_TASK_COMPLETED = "leaving_task.completed"
