"""Demo PEPs and SDQ scores for the demo school's children in care (``pupils.demo``), so that
on the day the demo is loaded a designated teacher sees a term's work in every state:

* last term's PEP completed, with targets to review in this term's PEP (Tyler, Mason), one of
  them with this term's PEP already started as a draft and half written up (Amelia);
* this term's PEP completed, reviewing last term's targets (Jade, Ruby, Leila); Ruby's last PEP
  was corrected, so it has a version 2 that supersedes version 1;
* first PEPs after coming into care: Kai's and Sofia's (held late, unless their deadline is
  still to come, when they show as due);
* one overdue: Ethan, whose last term's PEP was never held;
* one new to care whose first PEP is due within 20 school days: Daisy, added here because the
  pupils demo dates care in whole months (she came into care 6 school days before the demo's
  day, after a Child in Need plan, so her first PEP is due in 14 school days);
* carer and teacher SDQ scores (and two self-reports), with Ethan's carer SDQ more than 12
  months old so the "no carer SDQ" flag shows (Daisy, new to care, has none yet either).

Which term is "this term" and "last term" follows the day it is loaded (any day of a year whose
term dates are entered; in a holiday, this term is the next one, so nothing is done for it
yet). Everything is written through ``peps.services`` and ``pupils.services`` as the designated
teacher, so the demo leaves the audit trail and outbox messages a school's own PEPs leave. The
one thing written directly is each completed PEP's ``completed_at``: a service stamps "now",
and a PEP held last term should not read as completed on the day the demo was loaded.

Running it again changes nothing: a child who already has a PEP or an SDQ is left alone. Every
name and word in it is invented.

Each completed PEP's PDF is queued as a report run that the worker makes and then sends to the
child's Virtual School; the demo's children point at the Virtual School directory, whose
addresses are real. ``make run`` writes mail to files, so
nothing leaves the machine; ``manage.py load_demo`` refuses to run where email is delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from peps import services
from peps.due import PepState, PepStatus, previous_term, term_pep_status
from peps.models import AttainmentScale, PepAttendee, PersonalEducationPlan, TargetArea
from peps.selectors import child_facts, pep_rule, targets_to_review
from pupils import services as pupil_services
from pupils.cohort import nc_year_for_age
from pupils.demo import confirm_demo_address, demo_upn
from pupils.models import ContactKind, EpisodeKind, Pupil, SenStatus
from schools.models import Term, VirtualSchool
from schools.schooldays import SchoolCalendar, TermDates, TermDatesMissing, academic_year_of

logger = logging.getLogger(__name__)

A = PepAttendee.Role
PRESENT = PepAttendee.Attendance.PRESENT
APOLOGIES = PepAttendee.Attendance.APOLOGIES
IN_WRITING = PepAttendee.Attendance.IN_WRITING
ACHIEVED, PARTLY, NOT_ACHIEVED = "achieved", "partly", "not_achieved"
PRIMARY, SECONDARY = AttainmentScale.PRIMARY, AttainmentScale.SECONDARY


@dataclass(frozen=True)
class Target:
    area: str
    action: str
    success_measure: str = ""
    responsible: str = ""
    weeks: int | None = None  # due this many weeks after the meeting
    pp_plus: int = 0
    pp_plus_for: str = ""


@dataclass(frozen=True)
class Meeting:
    """What was said and agreed at one PEP meeting."""

    place: str
    going_well: str
    hard: str = ""
    would_like: str = ""
    how_helped: str = ""
    gathered: str = ""
    carer: str = ""
    social_worker: str = ""
    attendees: tuple[tuple[str, str, str], ...] = ()  # (role, name, attendance)
    scale: str = SECONDARY
    attainment: tuple[tuple[str, str, str, str], ...] = ()  # (subject, now, expected, notes)
    reviews: tuple[tuple[str, str], ...] = ()  # (outcome, evidence), in the last PEP's order
    targets: tuple[Target, ...] = ()
    attendance: str = ""
    suspensions: int | None = 0
    suspension_days: str = ""
    attendance_notes: str = ""
    sen_notes: str = ""
    transition: str = ""
    next_meeting: bool = True


@dataclass(frozen=True)
class Sdq:
    informant: str
    days_ago: int
    scores: tuple[int, int, int, int, int]  # emotional, conduct, hyperactivity, peer, prosocial
    impact: int | None


@dataclass(frozen=True)
class Plan:
    """One child's PEPs. ``kind``: "ahead" (last term's and this term's PEPs completed),
    "draft" (last term's completed, this term's a draft), "review" (last term's completed,
    this term's not started), "overdue" (last term's never held)."""

    forename: str
    surname: str
    kind: str
    last: Meeting | None = None
    this: Meeting | None = None
    sdqs: tuple[Sdq, ...] = ()
    # (reason, subject, corrected current attainment): last term's PEP corrected.
    correction: tuple[str, str, str] | None = None
    late: bool = False  # a first PEP held two school days after its deadline
    offset: int = 5  # school days before the deadline the meeting was held


DT = "Priya Shah"

PLANS = [
    Plan(
        "Amelia",
        "Okonkwo",
        "draft",
        offset=8,
        last=Meeting(
            place="Fenbridge Academy, the Nest (nurture room)",
            going_well="I've got a best friend called Lily and we play horses at break. I got a "
            "gold star for my writing about the seaside.",
            hard="Spellings. And lunch in the big hall because it's really loud.",
            would_like="To be in the choir with Lily. More painting.",
            how_helped="When Mrs Doyle writes the tricky words on a card and I keep it in my tray.",
            gathered="Talked with Mrs Doyle, her key adult, using the feelings cards the day "
            "before. Amelia came to the start of the meeting and chose what to share.",
            carer="Amelia is settled and sleeping well. We read together every night. Spelling "
            "tests worry her and she can be tearful the night before.",
            social_worker="The placement is stable and long-term matching goes to panel next "
            "month. Supervised contact with mum is monthly; Amelia is often unsettled the day "
            "after.",
            attendees=(
                (A.CHILD, "Amelia Okonkwo", PRESENT),
                (A.CARER, "Rosa Field", PRESENT),
                (A.SOCIAL_WORKER, "Dan Price", PRESENT),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.TEACHER, "Mrs Doyle, key adult", PRESENT),
                (A.VIRTUAL_SCHOOL, "Priya Nair", IN_WRITING),
            ),
            scale=PRIMARY,
            attainment=(
                ("Reading", "Working towards", "Expected", "Phonics secure; fluency building"),
                ("Writing", "Working towards", "Working towards", "Spelling is the barrier"),
                ("Maths", "Expected", "Expected", ""),
            ),
            targets=(
                Target(
                    TargetArea.ACADEMIC,
                    "Precision teaching of the Year 2 and 3 common exception words with Mrs "
                    "Doyle, 10 minutes every morning",
                    "Spells 40 of the 60 words in a dictation check (18 now)",
                    "Mrs Doyle, teaching assistant",
                    10,
                ),
                Target(
                    TargetArea.ACADEMIC,
                    "A weekly one-to-one session with a specialist reading tutor",
                    "Reading age up from 6 years 10 months to 7 years 6 months on the Salford test",
                    "Fenbridge Tutoring, with Mrs Doyle",
                    11,
                    360,
                    "Twelve 45-minute one-to-one reading sessions",
                ),
                Target(
                    TargetArea.SEMH,
                    "Lunchtime club in the Nest on Mondays, Wednesdays and Fridays instead of "
                    "the hall",
                    "No more than 2 lunchtime upsets a half term (6 last half term), from Mr "
                    "Ellis's log",
                    "Mr Ellis, learning mentor",
                    10,
                ),
            ),
            attendance="96.8",
            sen_notes="No identified SEN. The SENCO is keeping an eye on phonics and spelling.",
            transition="Any change of class teacher is prepared with a photo book and a visit "
            "to the new classroom beforehand.",
        ),
        # Held yesterday and half written up: what a designated teacher comes back to.
        this=Meeting(
            place="Fenbridge Academy, the Nest (nurture room)",
            going_well="I'm in the choir! I sang a line on my own. I can spell 'because' and "
            "'friend' now.",
            hard="Times tables. The 7s get muddled in my head.",
            gathered="With Mrs Doyle the day before the meeting, using her 'going well and "
            "tricky' jar.",
            attendees=(
                (A.CARER, "Rosa Field", PRESENT),
                (A.SOCIAL_WORKER, "Dan Price", IN_WRITING),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
            ),
            scale=PRIMARY,
            reviews=(
                (
                    ACHIEVED,
                    "Spelled 44 of the 60 words in the dictation check at the end of term "
                    "(18 at the start).",
                ),
            ),
            targets=(
                Target(
                    TargetArea.ACADEMIC,
                    "Times tables: 10 minutes on the 3, 4 and 8 times tables three times a week",
                ),
            ),
            attendance="97.2",
            next_meeting=False,
        ),
        sdqs=(
            Sdq("carer", 150, (4, 2, 5, 3, 8), 2),
            Sdq("teacher", 60, (3, 1, 4, 2, 8), 1),
        ),
    ),
    Plan(
        "Tyler",
        "Brennan",
        "review",
        offset=6,
        last=Meeting(
            place="Fenbridge Academy, meeting room 2",
            going_well="Football with Mr Ellis on Thursdays. I scored in the match against "
            "Ashby. Alan helps me with my reading at night.",
            hard="Writing long things. My hand hurts and I can't think what to put. Sometimes "
            "I miss my brothers.",
            would_like="To be goalkeeper for the school team. To see my brothers more.",
            how_helped="Tell me one thing at a time. Let me use the laptop for long writing.",
            gathered="Tyler filled in the 'All about me' sheet with his key adult and joined "
            "the meeting for the last 15 minutes.",
            carer="Tyler has settled well with us and is more relaxed at home. He still finds "
            "homework hard to start. He lights up talking about football.",
            social_worker="Tyler is accommodated under section 20 with his mother's agreement. "
            "Contact with his two brothers, who are placed together elsewhere, is fortnightly.",
            attendees=(
                (A.CHILD, "Tyler Brennan", PRESENT),
                (A.CARER, "Sue Marsh", PRESENT),
                (A.SOCIAL_WORKER, "Kemi Adeyemi", PRESENT),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.SENCO, "Mr Burrows", PRESENT),
                (A.VIRTUAL_SCHOOL, "Mark Ellison", PRESENT),
            ),
            scale=PRIMARY,
            attainment=(
                ("Reading", "Expected", "Expected", ""),
                ("Writing", "Working towards", "Expected", "Handwriting stamina; typing helps"),
                ("Maths", "Working towards", "Expected", "Gaps in fractions"),
            ),
            targets=(
                Target(
                    TargetArea.ACADEMIC,
                    "Small-group maths tuition on fractions and ratio, two 30-minute sessions "
                    "a week",
                    "60% or more in the end-of-unit fractions assessment (35% at the start)",
                    "Mrs Ahmed, maths lead",
                    11,
                    540,
                    "A term of small-group maths tuition, two sessions a week",
                ),
                Target(
                    TargetArea.ACADEMIC,
                    "A laptop for extended writing, with a writing frame for each piece",
                    "Writes at least 250 words in the end-of-term independent write (about 90 now)",
                    "Miss Okoro, class teacher",
                    10,
                ),
                Target(
                    TargetArea.SEMH,
                    "A morning check-in with Mr Ellis, and football club kept on Thursdays",
                    "Tyler rates his mood 3 or more out of 5 on four days out of five, from the "
                    "check-in log",
                    "Mr Ellis, learning mentor",
                    10,
                ),
            ),
            attendance="93.2",
            attendance_notes="Late on Mondays after weekend contact: the carers and social "
            "worker are looking at contact times.",
            sen_notes="SEN support: handwriting and working memory. A laptop for extended "
            "writing; instructions given one step at a time.",
            transition="Secondary transfer: extra visits to the Year 7 base with his carers and "
            "a transition book; information shared with the Year 7 pastoral lead.",
        ),
        sdqs=(
            Sdq("carer", 200, (5, 4, 7, 4, 6), 3),
            Sdq("teacher", 40, (4, 3, 6, 3, 6), 2),
        ),
    ),
    Plan(
        "Mason",
        "Fairweather",
        "review",
        offset=4,
        last=Meeting(
            place="Fenbridge Academy, pastoral office",
            going_well="I like DT, we made clocks. Pat's dog is called Biscuit and I walk him "
            "after school.",
            hard="Getting up. Science, because the teacher talks fast. When people ask why I "
            "moved again.",
            would_like="To do cooking club. A phone so I can text my nan.",
            how_helped="Don't make me read out loud. Give me the sheet before the lesson.",
            gathered="Mason talked with his form tutor, Mr Webb, before the meeting and chose "
            "not to come; he read the notes afterwards and agreed them.",
            carer="Mason is testing the boundaries at home but settling. Mornings are hard. He "
            "is proud of the things he makes in DT.",
            social_worker="Mason came back into care under a care order when his placement with "
            "family broke down. The plan is long-term foster care with Pat.",
            attendees=(
                (A.CARER, "Pat Nolan", PRESENT),
                (A.SOCIAL_WORKER, "Owen Hart", APOLOGIES),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.TEACHER, "Mr Webb, form tutor", PRESENT),
                (A.VIRTUAL_SCHOOL, "Priya Nair", PRESENT),
            ),
            attainment=(
                ("English", "3", "4", "Reading age 10 years 3 months"),
                ("Maths", "3", "4", ""),
                ("Science", "2", "3", "Vocabulary is the barrier"),
            ),
            targets=(
                Target(
                    TargetArea.ATTENDANCE,
                    "A breakfast club place, and a phone call from the attendance officer on "
                    "days Mason is not in by 8.40",
                    "Attendance of 95% or more over the next half term (88% now)",
                    "Mrs Lane, attendance officer",
                    8,
                    120,
                    "A term of breakfast club",
                ),
                Target(
                    TargetArea.ACADEMIC,
                    "Science key words and slides sent home the day before each lesson",
                    "Grade 3 or better in the science end-of-topic test (grade 2 now)",
                    "Mr Adeyemi, science teacher",
                    11,
                ),
            ),
            attendance="88.4",
            attendance_notes="Nine late marks this half term, all before registration closed.",
            sen_notes="No identified SEN. Reading age below his age; literacy screening booked.",
            transition="A Year 9 buddy and a quiet room at break while he settles in.",
        ),
        sdqs=(
            Sdq("carer", 120, (3, 6, 6, 5, 5), 4),
            Sdq("teacher", 30, (2, 5, 6, 4, 5), 3),
        ),
    ),
    Plan(
        "Jade",
        "Whitmore",
        "ahead",
        offset=9,
        last=Meeting(
            place="Fenbridge Academy, the Hub",
            going_well="Art. Ms Kaur lets me stay at lunch to finish things. I've got two "
            "friends in my form now.",
            hard="The big corridors between lessons. Maths when it goes on the board too fast. "
            "Being moved without being told.",
            would_like="GCSE art and photography. Work experience designing for a tattoo studio.",
            how_helped="Give me a heads-up before changes. Let me leave lessons 2 minutes early. "
            "Don't talk about my care in front of people.",
            gathered="Jade wrote her own 'My views' page with her key adult, Sam Turner, the "
            "week before and read it out at the meeting.",
            carer="Jade is calmer in the house and in bed at a reasonable time most nights. She "
            "spends her evenings drawing.",
            social_worker="The residential placement is stable and planned to continue to 18. "
            "Her independent reviewing officer has asked for an update on GCSE options.",
            attendees=(
                (A.CHILD, "Jade Whitmore", PRESENT),
                (A.CARER, "Lindsey Cole, residential key worker", PRESENT),
                (A.SOCIAL_WORKER, "Owen Hart", PRESENT),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.SENCO, "Mr Burrows", PRESENT),
                (A.TEACHER, "Sam Turner, key adult", PRESENT),
                (A.VIRTUAL_SCHOOL, "Joanne Lloyd", IN_WRITING),
            ),
            attainment=(
                ("English", "4", "5", ""),
                ("Maths", "3", "4", "Gaps in number; working memory"),
                ("Science", "4", "4", ""),
                ("Art", "6", "7", ""),
            ),
            targets=(
                Target(
                    TargetArea.ACADEMIC,
                    "Twice-weekly small-group maths with visual supports, as her EHC plan sets out",
                    "Grade 4 in the end-of-year maths assessment (grade 3 now)",
                    "Mr Burrows, SENCO",
                    11,
                    600,
                    "A term of two small-group maths sessions a week with a specialist "
                    "teaching assistant",
                ),
                Target(
                    TargetArea.ASPIRATIONS,
                    "A careers meeting, and a taster day in GCSE photography",
                    "Jade chooses her GCSE options with the information she needs and says "
                    "she is happy with them",
                    "Ms Kaur and the careers adviser",
                    10,
                ),
            ),
            attendance="94.1",
            suspensions=1,
            suspension_days="1",
            attendance_notes="One day's suspension in the first half term; her Virtual School "
            "was consulted first.",
            sen_notes="EHC plan: social, emotional and mental health; cognition and learning. "
            "Annual review due this school year.",
            transition="GCSE options in the spring. Her exit card and early release from "
            "lessons continue.",
        ),
        this=Meeting(
            place="Fenbridge Academy, the Hub",
            going_well="I got picked for the art exhibition. I stuck with maths group and I get "
            "fractions now.",
            hard="Mocks are coming and I panic in the hall.",
            would_like="To sit my exams in a smaller room. Photography GCSE.",
            how_helped="Same as before. Warn me about fire drills.",
            gathered="Jade updated her 'My views' page with Sam Turner and talked it through at "
            "the meeting.",
            carer="A settled term. Jade has started helping younger residents with art.",
            social_worker="No change to the care plan. Her next looked-after review is next month.",
            attendees=(
                (A.CHILD, "Jade Whitmore", PRESENT),
                (A.CARER, "Lindsey Cole, residential key worker", PRESENT),
                (A.SOCIAL_WORKER, "Owen Hart", IN_WRITING),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.SENCO, "Mr Burrows", PRESENT),
                (A.VIRTUAL_SCHOOL, "Joanne Lloyd", PRESENT),
            ),
            attainment=(
                ("English", "5", "5", ""),
                ("Maths", "4", "4", "Secure in fractions"),
                ("Science", "4", "5", ""),
                ("Art", "7", "7", "Selected for the exhibition"),
            ),
            reviews=(
                (
                    PARTLY,
                    "Secure grade 3 with grade 4 work in number; came to 19 of the 22 sessions.",
                ),
                (
                    ACHIEVED,
                    "Careers meeting held and the taster day attended; Jade chose art, "
                    "photography and history.",
                ),
            ),
            targets=(
                Target(
                    TargetArea.ACADEMIC,
                    "Exam access arrangements assessed by the SENCO, and practice in the small "
                    "exam room before the mocks",
                    "Arrangements in place and Jade sits every mock in the small room",
                    "Mr Burrows, SENCO",
                    8,
                ),
                Target(
                    TargetArea.SEMH,
                    "A weekly session with the school counsellor before and during the mocks",
                    "Jade rates her exam worry below 5 out of 10 by the end of the mocks (8 now)",
                    "School counsellor",
                    10,
                    480,
                    "Eight sessions with the school counsellor",
                ),
            ),
            attendance="95.6",
            suspensions=1,
            suspension_days="1",
            attendance_notes="No suspension since the first half term.",
            sen_notes="EHC plan: social, emotional and mental health; cognition and learning.",
            transition="Key stage 4 starts in September with the options she chose.",
        ),
        sdqs=(
            Sdq("carer", 90, (7, 4, 6, 6, 6), 5),
            Sdq("teacher", 45, (6, 3, 5, 5, 7), 3),
            Sdq("young_person", 45, (7, 3, 5, 5, 8), 4),
        ),
    ),
    Plan(
        "Ruby",
        "Achterberg",
        "ahead",
        offset=12,
        correction=(
            "English literature's current grade was entered as 3: the teacher assessment was 4.",
            "English literature",
            "4",
        ),
        last=Meeting(
            place="Fenbridge Academy, sixth form study room",
            going_well="Biology: I want to be a paramedic. Grace helps me revise with "
            "flashcards. I'm captain of the netball team.",
            hard="Remembering quotes for English literature. Being tired: I work Saturdays at "
            "the café.",
            would_like="To go to Fenbridge College for A levels in biology and chemistry.",
            how_helped="A revision timetable that I make myself. Teachers checking in quietly, "
            "not in front of the class.",
            gathered="Ruby filled in the Virtual School's young person's form herself and came "
            "to the whole meeting.",
            carer="Ruby is mature, organised and ambitious, and needs reminding to rest. We have "
            "agreed she keeps her café shift to one day.",
            social_worker="Pathway planning has started; her personal adviser will come to the "
            "next PEP. The care order continues and the placement is stable.",
            attendees=(
                (A.CHILD, "Ruby Achterberg", PRESENT),
                (A.CARER, "Grace Lewis-Ray", PRESENT),
                (A.SOCIAL_WORKER, "Kemi Adeyemi", PRESENT),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.VIRTUAL_SCHOOL, "Mark Ellison", PRESENT),
            ),
            attainment=(
                ("English literature", "3", "5", "Quotations and essay structure"),
                ("English language", "5", "5", ""),
                ("Maths", "5", "6", ""),
                ("Combined science", "5", "6", "Biology strongest"),
            ),
            targets=(
                Target(
                    TargetArea.ACADEMIC,
                    "Weekly one-to-one English literature tutoring on quotations and essay "
                    "structure, up to the mocks",
                    "Grade 5 in the English literature mock (grade 4 now)",
                    "Mrs Grant, English",
                    11,
                    650,
                    "Ten one-to-one English literature tutoring sessions",
                ),
                Target(
                    TargetArea.ASPIRATIONS,
                    "A college application, and a visit to Fenbridge College's open evening",
                    "Application in by the college's deadline, with a reference from school",
                    "The careers adviser, with Ruby",
                    12,
                ),
            ),
            attendance="97.9",
            transition="Post-16: her college application this year; her personal adviser and "
            "the Virtual School's post-16 adviser are invited to the next PEP.",
        ),
        this=Meeting(
            place="Fenbridge Academy, sixth form study room",
            going_well="I got a 6 in my biology mock and I've had my college interview!",
            hard="Keeping up with everything. I'm tired.",
            would_like="A 5 in English literature so I can do A levels.",
            how_helped="The same as before, and study periods in the library.",
            gathered="Ruby wrote her views on the young person's form and came to the meeting.",
            carer="Ruby is working hard; we are watching that she rests.",
            social_worker="Her pathway plan is written. Jo Harris is her personal adviser.",
            attendees=(
                (A.CHILD, "Ruby Achterberg", PRESENT),
                (A.CARER, "Grace Lewis-Ray", PRESENT),
                (A.SOCIAL_WORKER, "Kemi Adeyemi", PRESENT),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.OTHER, "Jo Harris, personal adviser", PRESENT),
                (A.VIRTUAL_SCHOOL, "Mark Ellison", IN_WRITING),
            ),
            attainment=(
                ("English literature", "4", "5", "Grade 5 essays on An Inspector Calls"),
                ("English language", "5", "6", ""),
                ("Maths", "6", "6", ""),
                ("Combined science", "6", "6", ""),
            ),
            reviews=(
                (PARTLY, "Mock grade 4, with grade 5 essays; came to all 10 sessions."),
                (ACHIEVED, "Application in on time; interviewed and offered a conditional place."),
            ),
            targets=(
                Target(
                    TargetArea.ACADEMIC,
                    "Past-paper practice in English literature with marked feedback every "
                    "fortnight",
                    "Grade 5 in the summer exam",
                    "Mrs Grant, English",
                    12,
                ),
                Target(
                    TargetArea.OTHER,
                    "A post-16 bursary application and a travel pass, with her personal adviser",
                    "Bursary and travel in place before she starts college",
                    "Jo Harris, personal adviser",
                    14,
                ),
            ),
            attendance="97.5",
            transition="Moving to Fenbridge College in September: a transition visit in July and "
            "her PEP passed on with her consent.",
        ),
        sdqs=(
            Sdq("carer", 250, (3, 1, 3, 2, 9), 1),
            Sdq("young_person", 100, (4, 1, 3, 2, 9), 1),
        ),
    ),
    Plan(
        "Leila",
        "Haddad",
        "ahead",
        offset=7,
        last=Meeting(
            place="Fenbridge Academy, Year 4 classroom",
            going_well="Gymnastics club. My auntie makes my favourite food. I moved up a "
            "reading band.",
            hard="Playtimes when the big girls are mean. Times tables tests.",
            would_like="To learn the violin like my cousin. To have a sleepover.",
            how_helped="When Miss Hunt checks on me at the start of the day.",
            gathered="Leila drew and wrote her views with Miss Hunt and talked about them at the "
            "meeting with her aunt.",
            carer="Leila is doing well and loves school. She worries about her little brother, "
            "who lives with another relative.",
            social_worker="The kinship placement with her aunt is stable; a special guardianship "
            "assessment is under way.",
            attendees=(
                (A.CHILD, "Leila Haddad", PRESENT),
                (A.CARER, "Samira Haddad", PRESENT),
                (A.SOCIAL_WORKER, "Dan Price", PRESENT),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.TEACHER, "Miss Hunt, class teacher", PRESENT),
                (A.VIRTUAL_SCHOOL, "Priya Nair", IN_WRITING),
            ),
            scale=PRIMARY,
            attainment=(
                ("Reading", "Expected", "Expected", ""),
                ("Writing", "Expected", "Expected", ""),
                ("Maths", "Working towards", "Expected", "Times tables"),
            ),
            targets=(
                Target(
                    TargetArea.ACADEMIC,
                    "Five minutes' times tables practice every day on the school's app, and a "
                    "weekly check with Miss Hunt",
                    "20 out of 25 in a practice multiplication tables check (12 now)",
                    "Miss Hunt, class teacher",
                    10,
                ),
                Target(
                    TargetArea.SEMH,
                    "The playground buddy scheme, and lunchtime craft club twice a week",
                    "Leila says she feels safe at playtime in her weekly check-in, and no "
                    "incidents are logged for a half term",
                    "Mrs Rao, lunchtime lead",
                    10,
                ),
                Target(
                    TargetArea.ASPIRATIONS,
                    "Weekly small-group violin lessons with the music service",
                    "Plays in the end-of-term music assembly",
                    "The music service, arranged by the school office",
                    12,
                    285,
                    "A term of small-group violin lessons and an instrument",
                ),
            ),
            attendance="98.1",
            sen_notes="No identified SEN.",
            transition="None planned.",
        ),
        this=Meeting(
            place="Fenbridge Academy, Year 4 classroom",
            going_well="I played violin in assembly! I got 21 on my times tables.",
            hard="Spellings. Missing my brother.",
            would_like="A bigger violin. To be a playground buddy myself.",
            how_helped="Miss Hunt still checking on me in the morning.",
            gathered="Leila wrote her views with Miss Hunt and came to the meeting with her aunt.",
            carer="A happy term. Leila now sees her brother every other weekend.",
            social_worker="The special guardianship assessment is positive and goes to court in "
            "the spring.",
            attendees=(
                (A.CHILD, "Leila Haddad", PRESENT),
                (A.CARER, "Samira Haddad", PRESENT),
                (A.SOCIAL_WORKER, "Dan Price", PRESENT),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.TEACHER, "Miss Hunt, class teacher", PRESENT),
            ),
            scale=PRIMARY,
            attainment=(
                ("Reading", "Expected", "Expected", ""),
                ("Writing", "Expected", "Expected", "Spelling the weakest part"),
                ("Maths", "Expected", "Expected", ""),
            ),
            reviews=(
                (ACHIEVED, "21 out of 25 in the practice check at the end of term."),
                (
                    ACHIEVED,
                    "No incidents logged this half term; Leila says playtimes are 'much better'.",
                ),
                (
                    ACHIEVED,
                    "Played in the music assembly; the music service reports good progress.",
                ),
            ),
            targets=(
                Target(
                    TargetArea.ACADEMIC,
                    "A weekly spelling group with a teaching assistant, on the Year 3 and 4 "
                    "word list",
                    "Spells 30 of the 50 Year 3 and 4 words (17 now)",
                    "Mrs Khan, teaching assistant",
                    11,
                ),
                Target(
                    TargetArea.ASPIRATIONS,
                    "Violin lessons continue, and Leila joins the school orchestra",
                    "Plays in the summer concert with the orchestra",
                    "The music service and Mr Dale, music lead",
                    12,
                    285,
                    "A further term of violin lessons and the instrument",
                ),
            ),
            attendance="98.4",
            sen_notes="No identified SEN.",
            transition="If the special guardianship order is made, Leila will no longer be in "
            "care: her PP+ continues as a child previously in care.",
        ),
        sdqs=(
            Sdq("carer", 180, (2, 1, 3, 2, 9), 0),
            Sdq("teacher", 70, (2, 1, 2, 3, 9), 0),
        ),
    ),
    Plan(
        "Kai",
        "Lindqvist",
        "review",
        offset=3,
        # His first PEP, in whichever term it fell.
        last=Meeting(
            place="Fenbridge Academy, Year 1 classroom after school",
            going_well="The sand tray and the dinosaurs. Miss Patel. Maria's pancakes.",
            hard="Sitting on the carpet a long time. Home time when it's someone different "
            "picking me up.",
            would_like="To be the dinosaur helper.",
            how_helped="My wobble cushion. A hug from Miss Patel.",
            gathered="Kai talked with Miss Patel using pictures and puppets, and showed her his "
            "favourite places in the classroom.",
            carer="Kai arrived with very little and has settled better than we expected. He "
            "wakes in the night. He loves being outside.",
            social_worker="Kai is subject to an interim care order; the final hearing is "
            "expected in the spring. He sees his mum three times a week.",
            attendees=(
                (A.CARER, "Maria Santos", PRESENT),
                (A.SOCIAL_WORKER, "Dan Price", PRESENT),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.TEACHER, "Miss Patel, class teacher", PRESENT),
                (A.VIRTUAL_SCHOOL, "Priya Nair", PRESENT),
            ),
            scale=PRIMARY,
            attainment=(
                ("Reading", "Working towards", "Expected", "Phonics phase 3"),
                ("Writing", "Working towards", "Working towards", ""),
                ("Maths", "Expected", "Expected", ""),
            ),
            targets=(
                Target(
                    TargetArea.SEMH,
                    "Ten minutes' 'special time' with Miss Patel every day, and a picture "
                    "timetable of the day",
                    "Kai stays on the carpet for 10 minutes, with his cushion, on four days out "
                    "of five, from Miss Patel's log",
                    "Miss Patel, class teacher",
                    8,
                ),
                Target(
                    TargetArea.ACADEMIC,
                    "A phonics keep-up group four times a week",
                    "Reads 30 of the 40 words in a practice phonics check (18 now)",
                    "Mrs Doyle, teaching assistant",
                    11,
                    240,
                    "Decodable reading books for home and school",
                ),
            ),
            attendance="91.0",
            attendance_notes="Absences were for court-ordered contact and a health assessment.",
            sen_notes="No identified SEN.",
            transition="Any move of placement to be planned with school; a photo book of "
            "school for his foster home.",
        ),
        sdqs=(
            Sdq("carer", 40, (5, 3, 6, 3, 7), 3),
            Sdq("teacher", 20, (4, 2, 7, 2, 7), 2),
        ),
    ),
    Plan(
        "Sofia",
        "Petrenko",
        "review",
        late=True,
        last=Meeting(
            place="Fenbridge Academy, Reception classroom",
            going_well="Playing in the home corner. Painting. Helen's cat.",
            hard="Tidy-up time. Saying goodbye at the door.",
            would_like="More painting. A friend to hold hands with.",
            how_helped="Helen says our goodbye rhyme at the door.",
            gathered="Through play with Mrs Green in the classroom, and photos Sofia chose of "
            "her favourite things.",
            carer="Sofia is a sunny little girl but clingy at drop-off. She speaks some "
            "Ukrainian and is picking up English fast.",
            social_worker="Sofia is accommodated under section 20 with her mother's agreement "
            "while her mother is in hospital. The plan is for her to go home.",
            attendees=(
                (A.CARER, "Helen Brooks", PRESENT),
                (A.SOCIAL_WORKER, "Kemi Adeyemi", IN_WRITING),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.TEACHER, "Mrs Green, Reception teacher", PRESENT),
                (A.VIRTUAL_SCHOOL, "Priya Nair", PRESENT),
            ),
            scale=PRIMARY,
            targets=(
                Target(
                    TargetArea.SEMH,
                    "The same goodbye routine at the classroom door with the same adult every "
                    "morning",
                    "Sofia lets Helen go within 5 minutes on four mornings out of five",
                    "Mrs Green, Reception teacher",
                    8,
                ),
                Target(
                    TargetArea.ACADEMIC,
                    "Small-group talk time every day, and a home-school book of key words in "
                    "English and Ukrainian",
                    "Uses sentences of three words in English in her play, seen by Mrs Green",
                    "Mrs Green, with Helen Brooks",
                    10,
                    150,
                    "Dual-language picture books for home and school",
                ),
            ),
            attendance="95.0",
            sen_notes="No identified SEN. English is an additional language.",
            transition="If Sofia goes home, school and the Virtual School will plan the move "
            "with her mother.",
        ),
        sdqs=(Sdq("carer", 25, (4, 2, 3, 4, 7), 2),),
    ),
    Plan(
        "Ethan",
        "Marlowe",
        "overdue",
        # The children's home's last SDQ is more than 12 months old: the flag shows.
        sdqs=(
            Sdq("carer", 425, (4, 7, 8, 5, 4), 6),
            Sdq("teacher", 50, (3, 6, 7, 5, 4), 4),
        ),
    ),
    Plan(
        "Noah",
        "Ashdown",
        "review",
        offset=10,
        last=Meeting(
            place="Fenbridge Academy, meeting room 1",
            going_well="Cricket. Drama. My mates.",
            hard="French. Knowing I might be moving school again.",
            would_like="To carry on with cricket wherever I go.",
            how_helped="Tell me what's happening early, not at the last minute.",
            gathered="Noah met the designated teacher before the meeting and came for the first "
            "half.",
            carer="Noah is a lovely lad and we will miss him if he moves nearer his sister.",
            social_worker="A move to a placement in Hertfordshire near his sister is being "
            "planned; a school place is being sought.",
            attendees=(
                (A.CHILD, "Noah Ashdown", PRESENT),
                (A.CARER, "Ann Carter", PRESENT),
                (A.SOCIAL_WORKER, "Dan Price", PRESENT),
                (A.DESIGNATED_TEACHER, DT, PRESENT),
                (A.VIRTUAL_SCHOOL, "Mark Ellison", IN_WRITING),
            ),
            attainment=(
                ("English", "4", "5", ""),
                ("Maths", "5", "5", ""),
                ("Science", "4", "5", ""),
            ),
            targets=(
                Target(
                    TargetArea.OTHER,
                    "If Noah moves school: his file and PEP sent ahead, and a handover call "
                    "with the new school's designated teacher before his last day",
                    "The new school confirms it has his file and PEP, and a start date",
                    "Priya Shah, designated teacher",
                    8,
                ),
                Target(
                    TargetArea.ACADEMIC,
                    "The Year 8 French catch-up group, weekly",
                    "60% or more in the French vocabulary test (45% now)",
                    "Mme Laurent, French",
                    8,
                ),
            ),
            attendance="96.0",
            sen_notes="No identified SEN.",
            transition="A possible move of placement and school: see the first target.",
        ),
    ),
]

# Daisy, new to care: not in the pupils demo, whose care dates are whole months ago.
NEW_TO_CARE_UPN_SERIAL = 901
FIRST_PEP_DUE_IN_SCHOOL_DAYS = 14


@transaction.atomic
def load_demo_peps(
    school, *, today: dt.date, by: User | None = None
) -> list[PersonalEducationPlan]:
    """Write the demo PEPs and SDQ scores of ``school``'s demo children as of ``today``.
    Idempotent. Returns the PEPs written (none on a second run)."""
    by = by or (
        User.objects.filter(
            memberships__school=school, memberships__role=Role.DESIGNATED_TEACHER
        ).first()
    )
    if by is None:
        logger.warning("peps demo: %s has no designated teacher to write PEPs as", school)
        return []
    calendar = SchoolCalendar.for_school(school)
    terms = _this_and_last_term(calendar, today)
    if terms is None:
        logger.warning("peps demo: no term dates for %s at %s", school, today)
        return []
    this_term, last_term = terms
    written: list[PersonalEducationPlan] = []
    for plan in PLANS:
        pupil = Pupil.objects.filter(
            school=school, legal_forename=plan.forename, legal_surname=plan.surname
        ).first()
        if pupil is None or pupil.peps.exists() or pupil.sdq_scores.exists():
            continue
        try:
            written += _load_plan(plan, pupil, calendar, this_term, last_term, today, by)
        except TermDatesMissing:
            continue  # a child whose dates reach beyond the entered term dates
    _new_to_care(school, calendar, today, by)
    return written


def _this_and_last_term(calendar, today) -> tuple[TermDates, TermDates | None] | None:
    """This term (in a holiday, the next) and the one before; None when the school's term
    dates do not reach them (Harbour cannot start a PEP then either)."""
    try:
        this_term = calendar.current_or_next_term(today)
    except TermDatesMissing:
        return None
    return this_term, previous_term(calendar, this_term)


def _status(calendar, term, pupil, today, rule) -> PepStatus | None:
    if term is None:
        return None
    try:
        return term_pep_status(
            calendar=calendar, term=term, child=child_facts(pupil), today=today, rule=rule
        )
    except TermDatesMissing:
        return None


def _load_plan(plan, pupil, calendar, this_term, last_term, today, by):
    rule = pep_rule(pupil.school)
    written = []
    last = _status(calendar, last_term, pupil, today, rule)
    if plan.kind != "overdue" and plan.last and last and last.required:
        meeting = _meeting_on_or_before_deadline(calendar, last_term, last, today, plan)
        if meeting:
            pep = _complete(pupil, last_term, plan.last, meeting, today, by)
            written.append(pep)
            if plan.correction:
                written.append(_correct(pep, plan.correction, meeting, today, by))
    this = _status(calendar, this_term, pupil, today, rule)
    if this and this.required:
        if plan.kind == "ahead" and plan.this:
            meeting = _recent_meeting(calendar, this_term, this, today, plan.offset % 5 + 1)
            if meeting:
                written.append(_complete(pupil, this_term, plan.this, meeting, today, by))
        elif plan.kind == "draft" and plan.this:
            meeting = _recent_meeting(calendar, this_term, this, today, 1)
            written.append(_draft(pupil, this_term, plan.this, meeting, today, by))
        elif this.state == PepState.OVERDUE and plan.kind != "overdue":
            # A first PEP whose deadline has passed this term: held (late, for Sofia).
            content = plan.this or plan.last
            meeting = _meeting_on_or_before_deadline(calendar, this_term, this, today, plan)
            if content and meeting:
                written.append(_complete(pupil, this_term, content, meeting, today, by))
    for sdq in plan.sdqs:
        services.sdq_record(
            pupil=pupil,
            taken_on=today - dt.timedelta(days=sdq.days_ago),
            informant=sdq.informant,
            emotional=sdq.scores[0],
            conduct=sdq.scores[1],
            hyperactivity=sdq.scores[2],
            peer=sdq.scores[3],
            prosocial=sdq.scores[4],
            impact=sdq.impact,
            by=by,
            today=today,
        )
    return written


# --- When the meetings were held ---------------------------------------------------------------


def _first_possible(calendar, term: TermDates, status: PepStatus) -> dt.date:
    """The first school day of ``term`` on which the child was in care and on roll."""
    start = term.first_day
    if status.care_started and status.care_started >= start:
        start = status.care_started + dt.timedelta(days=1)
    return calendar.school_day_on_or_after(start)


def _meeting_on_or_before_deadline(calendar, term, status, today, plan) -> dt.date | None:
    """``plan.offset`` school days before the deadline, or two after it for a late first PEP."""
    first = _first_possible(calendar, term, status)
    last_school_day = calendar.school_day_on_or_before(term.last_day)
    if plan.late and status.first_pep:
        late = calendar.add_school_days(status.deadline, 2)
        if late <= min(today, last_school_day):
            return late
    meeting = max(calendar.add_school_days(status.deadline, -plan.offset), first)
    meeting = min(meeting, calendar.school_day_on_or_before(today))
    return meeting if first <= meeting <= status.deadline else None


def _recent_meeting(calendar, term, status, today, back: int) -> dt.date | None:
    """``back`` school days before today (no earlier than the child could have had it), for a
    PEP held this term; None before the term has started."""
    first = _first_possible(calendar, term, status)
    latest = calendar.school_day_on_or_before(today)
    if latest < first:
        return None
    return max(calendar.add_school_days(latest, -back), first)


def _next_meeting(meeting: dt.date) -> dt.date:
    return meeting + dt.timedelta(weeks=12)


# --- Writing them ------------------------------------------------------------------------------


def _term(term: TermDates) -> Term:
    return Term.objects.select_related("academic_year").get(pk=term.pk)


def _fill(pep, content: Meeting, meeting: dt.date | None, by) -> None:
    services.pep_update(
        pep=pep,
        by=by,
        meeting_date=meeting,
        meeting_place=content.place,
        next_meeting_date=_next_meeting(meeting) if meeting and content.next_meeting else None,
        voice_going_well=content.going_well,
        voice_hard=content.hard,
        voice_would_like=content.would_like,
        voice_how_helped=content.how_helped,
        voice_how_gathered=content.gathered,
        carer_views=content.carer,
        social_worker_views=content.social_worker,
        sen_notes=content.sen_notes,
        attendance_percent=Decimal(content.attendance) if content.attendance else None,
        suspensions=content.suspensions,
        suspension_days=Decimal(content.suspension_days) if content.suspension_days else None,
        attendance_notes=content.attendance_notes,
        attainment_scale=content.scale,
        transition_plans=content.transition,
    )
    for role, name, attendance in content.attendees:
        services.attendee_add(pep=pep, role=role, name=name, attendance=attendance, by=by)
    for subject, current, expected, notes in content.attainment:
        services.attainment_add(
            pep=pep, subject=subject, current=current, expected=expected, notes=notes, by=by
        )
    for target, (outcome, evidence) in zip(targets_to_review(pep), content.reviews, strict=False):
        services.target_review(pep=pep, target=target, outcome=outcome, evidence=evidence, by=by)
    for target in content.targets:
        due_by = None
        if meeting and target.weeks:
            due_by = meeting + dt.timedelta(weeks=target.weeks)
        services.target_add(
            pep=pep,
            by=by,
            area=target.area,
            action=target.action,
            success_measure=target.success_measure,
            responsible=target.responsible,
            due_by=due_by,
            pp_plus_amount=Decimal(target.pp_plus),
            pp_plus_purpose=target.pp_plus_for,
        )


def _complete(pupil, term: TermDates, content: Meeting, meeting: dt.date, today, by):
    pep = services.pep_start(pupil=pupil, term=_term(term), by=by, today=today)
    _fill(pep, content, meeting, by)
    services.pep_complete(pep=pep, by=by, today=today)
    _backdate(pep, meeting + dt.timedelta(days=1))
    return pep


def _draft(pupil, term: TermDates, content: Meeting, meeting, today, by):
    pep = services.pep_start(pupil=pupil, term=_term(term), by=by, today=today)
    _fill(pep, content, meeting, by)
    return pep


def _correct(pep, correction, meeting: dt.date, today, by):
    reason, subject, current = correction
    fixed = services.pep_correct(pep=pep, reason=reason, by=by)
    record = fixed.attainment.get(subject=subject)
    services.attainment_remove(record=record, by=by)
    services.attainment_add(
        pep=fixed,
        subject=subject,
        current=current,
        expected=record.expected,
        notes=record.notes,
        by=by,
    )
    services.pep_complete(pep=fixed, by=by, today=today)
    _backdate(fixed, meeting + dt.timedelta(days=8))
    return fixed


def _backdate(pep, day: dt.date) -> None:
    """Completed at four in the afternoon of ``day`` (never later than now): see the module's
    docstring."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))
    moment = min(moment, timezone.now())
    PersonalEducationPlan.objects.filter(pk=pep.pk).update(completed_at=moment)
    pep.completed_at = moment


# --- Daisy, new to care ------------------------------------------------------------------------


def _new_to_care(school, calendar, today, by) -> Pupil | None:
    """A Year 2 child on a Child in Need plan who came into care six school days ago, so that
    her first PEP is due in 14 school days (sooner at the end of a term). Created once."""
    upn = demo_upn(school, NEW_TO_CARE_UPN_SERIAL)
    if Pupil.objects.filter(school=school, upn=upn).exists():
        return None
    try:
        # Due in 14 school days, or by the end of this term if it ends sooner: a child who
        # came into care any later would have her first PEP next term, out of sight.
        term = calendar.term_for(calendar.school_day_on_or_after(today))
        left = calendar.school_days_between(today, calendar.school_day_on_or_before(term.last_day))
        deadline = calendar.add_school_days(today, min(left, FIRST_PEP_DUE_IN_SCHOOL_DAYS))
        came_into_care = calendar.add_school_days(deadline, -pep_rule(school).first_pep_school_days)
    except TermDatesMissing:
        return None
    year = academic_year_of(today)
    born = dt.date(year - 6, 3, 14)
    assert nc_year_for_age(born, year) == 2
    cambridgeshire, _ = VirtualSchool.objects.get_or_create(
        la_code="873",
        defaults={
            "local_authority_name": "Cambridgeshire",
            "email": "virtualschool@cambridgeshire.example",
        },
    )
    confirm_demo_address(school, cambridgeshire, by=by)
    pupil = pupil_services.pupil_create(
        school=school,
        by=None,
        today=today,
        legal_forename="Daisy",
        legal_surname="Kerrigan",
        date_of_birth=born,
        sex="F",
        upn=upn,
        admission_date=dt.date(year - 2, 9, 7),
        sen_status=SenStatus.NONE,
        free_school_meals=True,
    )
    pupil_services.care_episode_add(
        pupil=pupil,
        by=None,
        kind=EpisodeKind.CHILD_IN_NEED_PLAN,
        start_date=came_into_care - dt.timedelta(weeks=17),
        end_date=came_into_care,
        responsible_authority=cambridgeshire,
    )
    pupil_services.care_episode_add(
        pupil=pupil,
        by=None,
        kind=EpisodeKind.IN_CARE,
        start_date=came_into_care,
        legal_basis="s20",
        responsible_authority=cambridgeshire,
    )
    for kind, details in (
        (
            ContactKind.SOCIAL_WORKER,
            {
                "name": "Rachel Mensah",
                "team": "Children's social care",
                "email": "rachel.mensah@socialcare.example",
            },
        ),
        (
            ContactKind.CARER,
            {
                "name": "Bev Hollis",
                "relationship": "Foster carer (emergency placement)",
                "phone": "07700 900471",
            },
        ),
        (
            ContactKind.VIRTUAL_SCHOOL_ADVISER,
            {"name": "Priya Nair", "virtual_school": cambridgeshire},
        ),
        (ContactKind.KEY_ADULT, {"user": by}),
    ):
        pupil_services.contact_add(
            pupil=pupil, by=None, kind=kind, start_date=came_into_care, **details
        )
    return pupil
