"""Views gathered before a PEP meeting through a secure link (issue 15): each test is an attack
on the link or a defect the designated teacher would meet.

Amelia's draft autumn 2026 PEP; the DT asks her carer on Monday 12 October 2026. Her link
works for 15 school days (half term 27 to 30 October is not counted): until Friday 6 November.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from notifications.models import OutboxMessage
from notifications.services import PRIVATE_SECRET, message_send
from peps import services as pep_services
from peps.contributions import services
from peps.contributions.audit import ContributionAction
from peps.contributions.models import ContributionAnswer, ContributionRequest
from peps.contributions.reminders import contribution_reminders_sweep
from peps.contributions.secrets import token_hash
from peps.documents import pep_document
from tests.conftest import member
from tests.peps.conftest import D, fill
from tests.pupil_factories import PupilFactory  # noqa: F401

ASKED = D(2026, 10, 12)
ZONE = dt.timezone(dt.timedelta(hours=1))  # BST in October


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE))


def ask(draft, teacher, *, audience="carer", questions=("carer_views",), email="sam@carer.test"):
    return services.contribution_request(
        pep=draft,
        audience=audience,
        name="Sam Carter",
        email=email,
        questions=list(questions),
        by=teacher,
        today=ASKED,
    )


def deliver_last(day: dt.date | None = None) -> str:
    """Send the newest queued message as the worker would (on ``day`` when given); the
    email's plain text."""
    message = OutboxMessage.objects.filter(state="queued").order_by("-pk").first()
    # Queued on the real clock, sent on the test's: the claim compares with its due time.
    due = message.next_attempt_at
    if day is None:
        assert message_send(message_pk=message.pk, now=due) == "sent"
    else:
        with at(day, hour=11):
            assert message_send(message_pk=message.pk, now=due) == "sent"
    return mail.outbox[-1].body


def token_from(body: str) -> str:
    return re.search(r"/contribute/([A-Za-z0-9_-]+)/", body).group(1)


def verified(client, token: str, link) -> None:
    """Open the link, have a code emailed, and enter it."""
    client.post(reverse("contribute:start", args=[token]))
    code = re.search(r"Your code is (\d{6})", deliver_last()).group(1)
    response = client.post(reverse("contribute:code", args=[token]), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("contribute:answer", args=[token])


@pytest.fixture
def sent(draft, teacher):
    """The carer's request, its email delivered: (link, token)."""
    link = ask(draft, teacher)
    token = token_from(deliver_last(ASKED))
    link.refresh_from_db()
    return link, token


def test_the_link_is_made_as_it_is_sent_and_only_its_hash_is_stored(draft, teacher):
    link = ask(draft, teacher)
    message = OutboxMessage.objects.get(dedupe_key=f"pep-contribution-{link.pk}-link")
    assert PRIVATE_SECRET in message.body_text and PRIVATE_SECRET in message.body_html
    assert "/contribute/" not in message.body_text + message.body_html
    token = token_from(deliver_last(ASKED))
    link.refresh_from_db()
    assert len(token) >= 40
    assert link.token_hash == token_hash(token)
    message.refresh_from_db()
    stored = " ".join(
        [message.body_text, message.body_html, message.subject, link.token_hash, link.code_hash]
    )
    assert token not in stored
    assert "Amelia" not in message.subject and "Okonkwo" not in message.body_text


def test_the_questions_open_only_after_the_emailed_code(client, sent):
    link, token = sent
    with at(D(2026, 10, 13)):
        response = client.get(reverse("contribute:answer", args=[token]))
        assert response.status_code == 302  # back to the start: no code yet
        response = client.post(reverse("contribute:start", args=[token]))
        assert response.status_code == 302
        message = OutboxMessage.objects.get(dedupe_key=f"pep-contribution-{link.pk}-code-1")
        assert PRIVATE_SECRET in message.body_text  # the code is not kept readable
        code = re.search(r"Your code is (\d{6})", deliver_last()).group(1)
        assert code not in OutboxMessage.objects.get(pk=message.pk).body_text
        client.post(reverse("contribute:code", args=[token]), {"code": code})
        assert client.get(reverse("contribute:answer", args=[token])).status_code == 200
        # The code is used up: a second browser cannot reuse it.
        other = client.__class__()
        other.post(reverse("contribute:code", args=[token]), {"code": code})
        assert other.get(reverse("contribute:answer", args=[token])).status_code == 302


def test_five_wrong_codes_lock_the_link(client, sent):
    link, token = sent
    with at(D(2026, 10, 13)):
        client.post(reverse("contribute:start", args=[token]))
        code = re.search(r"Your code is (\d{6})", deliver_last()).group(1)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        for _ in range(5):
            client.post(reverse("contribute:code", args=[token]), {"code": wrong})
        link.refresh_from_db()
        assert link.locked_at is not None
        # Even the right code does not open it now.
        response = client.post(reverse("contribute:code", args=[token]), {"code": code})
        assert response.status_code == 404
        assert client.get(reverse("contribute:start", args=[token])).status_code == 404
    assert AuditEvent.objects.filter(action=ContributionAction.LOCKED).count() == 1


def test_a_stale_or_replaced_code_does_not_open_the_link(client, sent):
    link, token = sent
    with time_machine.travel(dt.datetime(2026, 10, 13, 10, 0, tzinfo=ZONE)):
        client.post(reverse("contribute:start", args=[token]))
        first = re.search(r"Your code is (\d{6})", deliver_last()).group(1)
    # Asked for again: the first code stops working.
    with time_machine.travel(dt.datetime(2026, 10, 13, 10, 2, tzinfo=ZONE)):
        client.post(reverse("contribute:start", args=[token]))
        second = re.search(r"Your code is (\d{6})", deliver_last()).group(1)
        if first != second:
            client.post(reverse("contribute:code", args=[token]), {"code": first})
            assert client.get(reverse("contribute:answer", args=[token])).status_code == 302
    # Past its half hour, the newest code is refused too.
    with time_machine.travel(dt.datetime(2026, 10, 13, 10, 40, tzinfo=ZONE)):
        client.post(reverse("contribute:code", args=[token]), {"code": second})
        assert client.get(reverse("contribute:answer", args=[token])).status_code == 302


def test_a_code_confirmed_on_one_link_does_not_open_another(client, sent, draft, teacher):
    """Someone who confirmed their own link cannot reach another person's questions by
    holding only its address."""
    _, token = sent
    ask(
        draft,
        teacher,
        audience="social_worker",
        questions=("social_worker_views",),
        email="sw@la.test",
    )
    other_token = token_from(deliver_last(ASKED))
    with at(D(2026, 10, 13)):
        verified(client, token, None)
        assert client.get(reverse("contribute:answer", args=[token])).status_code == 200
        response = client.get(reverse("contribute:answer", args=[other_token]))
        assert response.status_code == 302
        assert response["Location"] == reverse("contribute:start", args=[other_token])


def test_codes_cannot_be_asked_for_without_limit(client, sent):
    link, token = sent
    for minute in range(services.MAX_CODES + 1):
        with time_machine.travel(dt.datetime(2026, 10, 13, 10, minute * 2, tzinfo=ZONE)):
            client.post(reverse("contribute:start", args=[token]))
    link.refresh_from_db()
    assert link.codes_sent == services.MAX_CODES
    assert link.locked_at is not None


def test_the_form_shows_the_first_name_and_the_questions_and_nothing_else(client, sent, draft):
    pep_services.pep_update(pep=draft, by=None, voice_hard="Maths tests", carer_views="Settled")
    link, token = sent
    with at(D(2026, 10, 13)):
        start = client.get(reverse("contribute:start", args=[token])).content.decode()
        verified(client, token, link)
        form = client.get(reverse("contribute:answer", args=[token])).content.decode()
    for page in (start, form):
        assert "Amelia" in page
        assert "How is the child getting on at school" in page
        for secret in ("Okonkwo", "Maths tests", "Settled", "2015", str(draft.term), "Dana"):
            assert secret not in page


def test_an_answer_is_taken_once_and_the_link_then_refuses(client, sent):
    link, token = sent
    with at(D(2026, 10, 13)):
        verified(client, token, link)
        url = reverse("contribute:answer", args=[token])
        response = client.post(url, {"carer_views": "She loves art club"})
        assert response.status_code == 302
        assert client.post(url, {"carer_views": "Again"}).status_code == 404
        assert client.get(reverse("contribute:start", args=[token])).status_code == 404
    assert list(ContributionAnswer.objects.values_list("text", flat=True)) == ["She loves art club"]


def test_a_link_expires_after_fifteen_school_days(client, sent):
    link, token = sent
    assert link.expires_on == D(2026, 11, 6)
    with at(D(2026, 11, 6)):
        assert client.get(reverse("contribute:start", args=[token])).status_code == 200
    with at(D(2026, 11, 9)):
        assert client.get(reverse("contribute:start", args=[token])).status_code == 404


def test_a_revoked_link_refuses(client, sent, teacher):
    link, token = sent
    services.contribution_revoke(link=link, by=teacher)
    with at(D(2026, 10, 13)):
        assert client.get(reverse("contribute:start", args=[token])).status_code == 404


def test_a_completed_pep_refuses_every_link_even_once_verified(client, sent, draft, teacher):
    link, token = sent
    with at(D(2026, 10, 13)):
        verified(client, token, link)
    fill(draft, teacher, meeting=D(2026, 10, 14))
    pep_services.pep_complete(pep=draft, by=teacher, today=D(2026, 10, 14))
    with at(D(2026, 10, 14)):
        for name in ("start", "code", "answer"):
            assert client.get(reverse(f"contribute:{name}", args=[token])).status_code == 404
        response = client.post(reverse("contribute:answer", args=[token]), {"carer_views": "x"})
        assert response.status_code == 404
    assert not ContributionAnswer.objects.exists()


def test_an_unknown_token_gets_the_same_page(client, sent):
    with at(D(2026, 10, 13)):
        response = client.get(reverse("contribute:start", args=["x" * 43]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_accepted_views_go_into_the_pep_and_its_pdf_with_their_author(client, sent, draft, teacher):
    link, token = sent
    with at(D(2026, 10, 13)):
        verified(client, token, link)
        client.post(reverse("contribute:answer", args=[token]), {"carer_views": "She loves art"})
    answer = ContributionAnswer.objects.get()
    services.answer_accept(answer=answer, by=teacher)
    draft.refresh_from_db()
    assert draft.carer_views == "She loves art"
    credits = pep_document(draft).credits
    assert credits["Carer's views"] == [
        "Sam Carter (carer). Through Harbour's secure link, answered on 13 October 2026."
    ]


def test_the_childs_answers_say_an_adult_helped_and_fill_how_gathered(client, draft, teacher):
    link = ask(
        draft,
        teacher,
        audience="child",
        questions=["child_going_well"],
        email=teacher.email,
    )
    token = token_from(deliver_last(ASKED))
    link.refresh_from_db()
    with at(D(2026, 10, 13)):
        verified(client, token, link)
        client.post(
            reverse("contribute:answer", args=[token]),
            {"child_going_well": "Art club", "with_adult_help": "on"},
        )
    services.answer_accept(answer=ContributionAnswer.objects.get(), by=teacher)
    draft.refresh_from_db()
    assert draft.voice_going_well == "Art club"
    assert "with an adult's help" in draft.voice_how_gathered
    assert "in their own words" in pep_document(draft).credits["What is going well"][0]


def _answer_unsafe(client, draft, teacher, words="The bus"):
    link = ask(draft, teacher, audience="child", questions=["child_unsafe"], email=teacher.email)
    token = token_from(deliver_last(ASKED))
    link.refresh_from_db()
    with at(D(2026, 10, 13)):
        verified(client, token, link)
        client.post(
            reverse("contribute:answer", args=[token]),
            {"child_unsafe": words, "with_adult_help": "on"},
        )
    return link


def test_a_safety_answer_raises_a_concern_for_the_dsl_team(client, school, draft, teacher):
    from concerns.models import Concern

    dsl = member(school, Role.DSL)
    link = _answer_unsafe(client, draft, teacher)
    [concern] = Concern.objects.all()
    assert concern.school == school and concern.raised_by is None
    assert list(concern.pupils.all()) == [draft.pupil]
    assert concern.account == "The bus"
    assert concern.source == Concern.Source.PEP_CONTRIBUTION
    assert (concern.source_model, concern.source_id) == ("peps.contributionrequest", link.pk)
    assert concern.given_by.startswith(f"{draft.pupil.forename} {draft.pupil.surname}, in their")
    assert "help" in concern.given_by
    # The DSL team is told by the concern's own email (a link only, SAFEGUARDING); not twice.
    [message] = OutboxMessage.objects.filter(template="concern_raised")
    assert message.recipient == dsl.email and message.sensitivity == "safeguarding"
    assert "The bus" not in message.body_text + message.body_html + message.subject
    assert not OutboxMessage.objects.filter(template="pep_contribution_safety").exists()
    assert ContributionAnswer.objects.get().status == ContributionAnswer.Status.PASSED_TO_DSL
    raised = AuditEvent.objects.get(action="concern.raised")
    assert raised.actor is None and raised.pupil_id == draft.pupil_id
    assert "The bus" not in str(raised.changes) + str(raised.fields) + raised.object_repr
    passed = AuditEvent.objects.get(action=ContributionAction.SAFETY_PASSED_TO_DSL)
    assert passed.changes == {"passed_as": "concern"}


def test_with_no_safeguarding_app_listening_the_answer_goes_by_email_with_a_link_only(
    client, school, draft, teacher
):
    from concerns.models import Concern
    from concerns.services import concern_from_safety_worry
    from pupils import safety_hooks

    dsl = member(school, Role.DSL)
    safety_hooks.remove_listener(concern_from_safety_worry)
    try:
        _answer_unsafe(client, draft, teacher)
    finally:
        safety_hooks.on_safety_worry(concern_from_safety_worry)
    assert not Concern.objects.exists()
    [message] = OutboxMessage.objects.filter(template="pep_contribution_safety")
    assert message.recipient == dsl.email
    assert message.sensitivity == "safeguarding"
    assert "The bus" not in message.body_text + message.body_html + message.subject
    assert ContributionAnswer.objects.get().status == ContributionAnswer.Status.PASSED_TO_DSL


def test_the_dt_sees_a_safety_answer_exists_but_not_its_words(
    client, school, draft, teacher, dt_client, dsl_client
):
    link = ask(draft, teacher, audience="child", questions=["child_unsafe"], email=teacher.email)
    token = token_from(deliver_last(ASKED))
    link.refresh_from_db()
    with at(D(2026, 10, 13)):
        verified(client, token, link)
        client.post(reverse("contribute:answer", args=[token]), {"child_unsafe": "The bus"})
    url = reverse("contributions:list", args=[draft.pk])
    dt_page = dt_client.get(url).content.decode()
    assert "Passed to the DSL team" in dt_page and "The bus" not in dt_page
    assert "The bus" in dsl_client.get(url).content.decode()


def test_reminders_go_once_after_five_school_days_and_once_before_the_meeting(draft, teacher):
    pep_services.pep_update(pep=draft, by=teacher, meeting_date=D(2026, 11, 4))
    link = ask(draft, teacher)

    def reminders():
        return sorted(
            OutboxMessage.objects.filter(template="pep_contribution_reminder").values_list(
                "dedupe_key", flat=True
            )
        )

    contribution_reminders_sweep(today=D(2026, 10, 16))  # 4 school days: nothing yet
    assert reminders() == []
    for day in (D(2026, 10, 19), D(2026, 10, 19), D(2026, 10, 20)):
        contribution_reminders_sweep(today=day)
    assert reminders() == [f"pep-contribution-{link.pk}-reminder-after_sending"]
    contribution_reminders_sweep(today=D(2026, 10, 30))  # half term: nobody is chased
    contribution_reminders_sweep(today=D(2026, 11, 2))  # 3 and 4 Nov: two school days left
    contribution_reminders_sweep(today=D(2026, 11, 3))
    assert len(reminders()) == 2
    link.refresh_from_db()
    assert (link.reminded_after_sending_on, link.reminded_before_meeting_on) == (
        D(2026, 10, 19),
        D(2026, 11, 2),
    )
    reminder = OutboxMessage.objects.filter(template="pep_contribution_reminder").first()
    assert "/contribute/" not in reminder.body_text  # the first email's link is the only one


def test_an_answered_request_is_not_chased(client, sent):
    link, token = sent
    with at(D(2026, 10, 13)):
        verified(client, token, link)
        client.post(reverse("contribute:answer", args=[token]), {"carer_views": "Fine"})
    contribution_reminders_sweep(today=D(2026, 10, 19))
    assert not OutboxMessage.objects.filter(template="pep_contribution_reminder").exists()


def test_views_cannot_be_asked_for_on_a_completed_pep(draft, teacher):
    fill(draft, teacher, meeting=D(2026, 10, 12))
    pep_services.pep_complete(pep=draft, by=teacher, today=D(2026, 10, 12))
    with pytest.raises(pep_services.ValidationError):
        ask(draft, teacher)
    assert not ContributionRequest.objects.exists()


def test_the_easy_read_questions_have_a_picture_each_with_words_for_a_screen_reader(
    client, draft, teacher
):
    link = services.contribution_request(
        pep=draft,
        audience="child",
        name=teacher.full_name,
        email=teacher.email,
        questions=["child_going_well", "child_hard", "child_unsafe"],
        easy_read=True,
        by=teacher,
        today=ASKED,
    )
    token = token_from(deliver_last(ASKED))
    link.refresh_from_db()
    with at(D(2026, 10, 13)):
        verified(client, token, link)
        page = client.get(reverse("contribute:answer", args=[token])).content.decode()
    assert "What is good at school?" in page
    assert page.count('role="img"') == 3
    for alt in ("A smiling face", "A rain cloud", "A shield with a tick: being safe"):
        assert f">{alt}</title>" in page
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )  # drawn in Harbour: no external picture
    assert 'style="' not in page  # the content security policy allows no inline style


def test_the_child_friendly_wording_has_no_pictures(client, draft, teacher):
    link = ask(
        draft, teacher, audience="child", questions=["child_going_well"], email=teacher.email
    )
    token = token_from(deliver_last(ASKED))
    link.refresh_from_db()
    with at(D(2026, 10, 13)):
        verified(client, token, link)
        page = client.get(reverse("contribute:answer", args=[token])).content.decode()
    assert "What is going well for you at school?" in page and 'role="img"' not in page


def test_the_virtual_school_adviser_is_asked_from_the_childs_contacts_and_credited(
    client, dt_client, draft, teacher
):
    from peps.contributions.selectors import people_to_ask
    from tests.pupil_factories import ContactFactory

    adviser = ContactFactory(
        pupil=draft.pupil,
        kind="virtual_school_adviser",
        name="Priya Nair",
        email="priya.nair@vs.test",
    )
    [person] = [
        p for p in people_to_ask(draft, today=ASKED, asker=None) if p[0] == f"contact-{adviser.pk}"
    ]
    assert person[2] == "virtual_school"
    link = services.contribution_request(
        pep=draft,
        audience="virtual_school",
        name=adviser.name,
        email=adviser.email,
        contact=adviser,
        questions=["virtual_school_views", "carer_views"],  # only the adviser's question is kept
        by=teacher,
        today=ASKED,
    )
    assert link.questions == ["virtual_school_views"]
    token = token_from(deliver_last(ASKED))
    link.refresh_from_db()
    with at(D(2026, 10, 13)):
        verified(client, token, link)
        client.post(
            reverse("contribute:answer", args=[token]),
            {"virtual_school_views": "We will fund a term of maths tutoring"},
        )
    services.answer_accept(answer=ContributionAnswer.objects.get(), by=teacher)
    draft.refresh_from_db()
    assert draft.virtual_school_views == "We will fund a term of maths tutoring"
    assert pep_document(draft).credits["Virtual School adviser's views"] == [
        "Priya Nair (Virtual School adviser). Through Harbour's secure link, answered on "
        "13 October 2026."
    ]
    page = dt_client.get(reverse("peps:pep", args=[draft.pk])).content.decode()
    assert "Virtual School adviser&#x27;s views" in page or "Virtual School adviser's views" in page
    assert "We will fund a term of maths tutoring" in page
