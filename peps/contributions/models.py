"""A request for someone's views before a PEP meeting (the secure link), and their answers.

The link's token and the six-digit code are never stored: only their SHA-256 hashes
(``peps.contributions.secrets``). The raw values exist only in the email the recipient gets.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from peps.contributions.questions import BY_KEY, Audience


class ContributionRequest(models.Model):
    """One person asked for their views on one draft PEP, through one link.

    The link works while the request is open: sent, not answered, not revoked, not locked, not
    past ``expires_on`` and its PEP still a draft (``services.link_state``)."""

    pep = models.ForeignKey(
        "peps.PersonalEducationPlan", on_delete=models.CASCADE, related_name="contribution_requests"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    # Who was asked: a contact of the child's (a carer, a parent, a social worker), or for the
    # child's own link, the adult in school who opens it with them (their key adult, the DT).
    contact = models.ForeignKey(
        "pupils.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    questions = models.JSONField(default=list)  # keys of questions.QUESTIONS
    easy_read = models.BooleanField(default=False)

    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    sent_on = models.DateField()
    expires_on = models.DateField()

    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    code_failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)

    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The child's link answered on a device in school with an adult's help.
    with_adult_help = models.BooleanField(default=False)

    reminded_after_sending_on = models.DateField(null=True, blank=True)
    reminded_before_meeting_on = models.DateField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # What the audit log may keep (core.audit): Harbour's own choices and counts. The person's
    # name and email, and every answer, are kept by field name only.
    audit_values = frozenset(
        {
            "audience",
            "questions",
            "question",
            "easy_read",
            "code_failures",
            "with_adult_help",
            "reminder",
            "passed_as",
        }
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="one_link_per_token"
            ),
        ]

    def __str__(self) -> str:
        return f"Views asked of {self.audience_in_a_sentence} for PEP {self.pep_id}"

    @property
    def audience_in_a_sentence(self) -> str:
        """ "carer", "social worker", "Virtual School adviser" (a name keeps its capitals)."""
        label = self.get_audience_display()
        return label if self.audience == Audience.VIRTUAL_SCHOOL else label.lower()

    @property
    def question_objects(self):
        return [BY_KEY[key] for key in self.questions if key in BY_KEY]


class ContributionAnswer(models.Model):
    """One answer, arriving as a proposal on the draft PEP: the designated teacher accepts it
    (copied into the PEP, with who said it) or sets it aside with a reason."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for you"
        ACCEPTED = "accepted", "Accepted into the PEP"
        SET_ASIDE = "set_aside", "Set aside"
        # The safety question: sent to the DSL team, never copied into the PEP.
        PASSED_TO_DSL = "passed_to_dsl", "Passed to the DSL team"

    request = models.ForeignKey(
        ContributionRequest, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.CharField(max_length=40)
    text = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    set_aside_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_values = frozenset({"question", "status"})

    class Meta:
        ordering = ["request_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk} to {self.question}"

    @property
    def question_object(self):
        return BY_KEY.get(self.question)
