"""What each contributor may be asked, and where an accepted answer goes in the PEP.

The child's questions have two wordings: a child-friendly one, and an easy-read one (short
sentences with a picture) for a child who reads better that way. "Is there anything that makes
you feel unsafe?" feeds no part of the PEP: any answer to it goes to the DSL team
(``services.contribution_submit``), and only they read it in Harbour.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Audience(models.TextChoices):
    CHILD = "child", "The child"
    CARER = "carer", "Carer"
    PARENT = "parent", "Parent"
    SOCIAL_WORKER = "social_worker", "Social worker"
    VIRTUAL_SCHOOL = "virtual_school", "Virtual School adviser"


@dataclass(frozen=True)
class Question:
    key: str
    audience: Audience
    text: str
    # The part of the PEP an accepted answer is copied into; "" for the safety question.
    pep_field: str
    easy_read: str = ""
    icon: str = ""  # a picture in the easy-read version (templates/peps/contributions/icons)
    icon_alt: str = ""  # what the picture shows, for a screen reader (its <title>)
    hint: str = ""

    @property
    def is_safety(self) -> bool:
        return self.key == SAFETY


SAFETY = "child_unsafe"

QUESTIONS: tuple[Question, ...] = (
    Question(
        "child_going_well",
        Audience.CHILD,
        "What is going well for you at school?",
        "voice_going_well",
        easy_read="What is good at school?",
        icon="smile",
        icon_alt="A smiling face",
    ),
    Question(
        "child_hard",
        Audience.CHILD,
        "What is hard for you at school?",
        "voice_hard",
        easy_read="What is hard at school?",
        icon="cloud",
        icon_alt="A rain cloud",
    ),
    Question(
        "child_would_like",
        Audience.CHILD,
        "What would you like to happen, or to do more of?",
        "voice_would_like",
        easy_read="What would you like?",
        icon="star",
        icon_alt="A star",
    ),
    Question(
        "child_how_helped",
        Audience.CHILD,
        "How do you like adults at school to help you?",
        "voice_how_helped",
        easy_read="How can adults help you?",
        icon="hand",
        icon_alt="A hand held up",
    ),
    Question(
        SAFETY,
        Audience.CHILD,
        "Is there anything that makes you feel unsafe?",
        "",
        easy_read="Does anything make you feel not safe?",
        icon="shield",
        icon_alt="A shield with a tick: being safe",
        hint="You do not have to answer. If you do, a safe adult at school will read it.",
    ),
    Question(
        "carer_views",
        Audience.CARER,
        "How is the child getting on at school, and what would help them?",
        "carer_views",
    ),
    Question(
        "parent_views",
        Audience.PARENT,
        "How is your child getting on at school, and what would help them?",
        "carer_views",
    ),
    Question(
        "social_worker_views",
        Audience.SOCIAL_WORKER,
        "Your views on the child's education and what would help them",
        "social_worker_views",
    ),
    Question(
        "social_worker_update",
        Audience.SOCIAL_WORKER,
        "An update on the child's placement and care plan that the school should know",
        "social_worker_views",
        hint="Only what the school needs for the child's education.",
    ),
    Question(
        "virtual_school_views",
        Audience.VIRTUAL_SCHOOL,
        "Your views on the child's education, and what the Virtual School will do to help",
        "virtual_school_views",
        hint="For example PP+ the Virtual School will fund, or advice for the school.",
    ),
)

BY_KEY = {q.key: q for q in QUESTIONS}


def questions_for(audience: str) -> list[Question]:
    return [q for q in QUESTIONS if q.audience == audience]


# The PEP's sections, in the words of the PDF, by the fields an answer may be copied into.
SECTION_OF_FIELD = {
    "voice_going_well": "What is going well",
    "voice_hard": "What is hard",
    "voice_would_like": "What I would like",
    "voice_how_helped": "How I like to be helped",
    "carer_views": "Carer's views",
    "social_worker_views": "Social worker's views",
    "virtual_school_views": "Virtual School adviser's views",
}
