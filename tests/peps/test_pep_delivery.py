"""Where a completed PEP's PDF goes, written as the attacks on the shared Virtual School
directory: Harbour sends a child's PEP only to an address the school itself has confirmed, and
no other school (nor the host) can move it without the school confirming again."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent, ReportRun
from notifications.models import OutboxMessage
from peps import services
from schools import services as school_services
from schools.models import VirtualSchoolContact
from tests.conftest import member, render_report_runs, sign_in
from tests.peps.conftest import D, fill

pytestmark = pytest.mark.django_db

OCT_20 = D(2026, 10, 20)
ATTACKER = "inbox@attacker.example"


def complete(pep, teacher, *, render=True):
    """Complete ``pep`` and, unless told not to, let the worker make its PDF (and send it)."""
    fill(pep, teacher)
    pep = services.pep_complete(pep=pep, by=teacher, today=OCT_20)
    if render:
        render_report_runs()
    return pep


def unconfirm(school, authority):
    VirtualSchoolContact.objects.filter(school=school, virtual_school=authority).update(
        confirmed_email="", confirmed_by=None, confirmed_at=None
    )


def test_a_confirmed_address_receives_the_pdf(draft, teacher, cambridgeshire):
    complete(draft, teacher)
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == [cambridgeshire.email]


def test_an_unconfirmed_address_receives_no_pep_pdf(school, draft, teacher, cambridgeshire):
    unconfirm(school, cambridgeshire)
    pep = complete(draft, teacher)
    assert pep.status == pep.Status.COMPLETED
    assert not OutboxMessage.objects.exists()
    held = AuditEvent.objects.get(action="pep.pdf_held")
    assert held.changes == {"held_because": "address_not_confirmed", "virtual_school": "873"}


def test_another_school_changing_its_contact_does_not_move_this_schools_pdfs(
    school, other_school, draft, teacher, cambridgeshire
):
    # School B's administrator points B's own contact at an attacker's inbox.
    school_services.virtual_school_contact_save(
        school=other_school,
        virtual_school=cambridgeshire,
        name="Not a real adviser",
        role="",
        email=ATTACKER,
        by=member(other_school, Role.ADMINISTRATOR),
    )
    complete(draft, teacher)
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == [cambridgeshire.email]


def test_a_changed_school_contact_address_receives_nothing_until_confirmed(
    school, draft, teacher, cambridgeshire
):
    school_services.virtual_school_contact_save(
        school=school,
        virtual_school=cambridgeshire,
        name="",
        role="",
        email=ATTACKER,
        by=member(school, Role.ADMINISTRATOR),
    )
    complete(draft, teacher)
    assert not OutboxMessage.objects.exists()


def test_a_host_change_to_the_directory_needs_the_school_to_confirm_again(
    school, draft, teacher, cambridgeshire
):
    school_services.virtual_school_update(
        virtual_school=cambridgeshire,
        local_authority_name=cambridgeshire.local_authority_name,
        la_code="873",
        email="new.vs@cambridgeshire.example",
    )
    complete(draft, teacher)
    assert not OutboxMessage.objects.exists()
    event = AuditEvent.objects.get(action="virtual_school.directory_address_changed")
    assert event.school == school
    assert event.changes["address"][1] == "new.vs@cambridgeshire.example"


def test_the_pep_page_tells_the_designated_teacher_what_to_confirm(
    school, draft, teacher, cambridgeshire
):
    unconfirm(school, cambridgeshire)
    complete(draft, teacher)
    client = sign_in(Client(), teacher)
    page = client.get(reverse("peps:pep", args=[draft.pk])).content.decode()
    assert "The PDF has not been sent to Cambridgeshire" in page
    assert f"Confirm that {cambridgeshire.email} is the right address" in page
    assert reverse("peps:pep_send", args=[draft.pk]) in page


def test_confirming_on_the_send_page_sends_the_held_pdf(school, draft, teacher, cambridgeshire):
    unconfirm(school, cambridgeshire)
    complete(draft, teacher)
    client = sign_in(Client(), teacher)
    url = reverse("peps:pep_send", args=[draft.pk])
    assert cambridgeshire.email in client.get(url).content.decode()

    response = client.post(url, {"email": cambridgeshire.email})

    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert message.recipient == cambridgeshire.email
    assert message.attachment_type == "application/pdf"
    confirmed = AuditEvent.objects.get(action="virtual_school_contact.confirmed", actor=teacher)
    assert confirmed.school == school
    assert confirmed.changes == {"address": cambridgeshire.email, "source": "directory"}
    assert AuditEvent.objects.filter(action="pep.sent_to_virtual_school", school=school).exists()
    # Sending twice is refused and queues nothing more.
    again = client.post(url, {"email": cambridgeshire.email})
    assert again.status_code == 200
    assert OutboxMessage.objects.count() == 1


def test_an_address_that_changed_after_the_page_was_shown_is_not_confirmed_or_sent(
    school, draft, teacher, cambridgeshire
):
    unconfirm(school, cambridgeshire)
    complete(draft, teacher)
    shown = cambridgeshire.email
    # Meanwhile the school's administrator points the contact somewhere else.
    school_services.virtual_school_contact_save(
        school=school,
        virtual_school=cambridgeshire,
        name="",
        role="",
        email=ATTACKER,
        by=member(school, Role.ADMINISTRATOR),
    )
    client = sign_in(Client(), teacher)
    response = client.post(reverse("peps:pep_send", args=[draft.pk]), {"email": shown})
    assert response.status_code == 200
    assert f"is now {ATTACKER}" in response.content.decode()
    assert not OutboxMessage.objects.exists()
    assert not VirtualSchoolContact.objects.get(school=school).is_confirmed


def test_an_administrator_cannot_confirm_and_send(school, draft, teacher, cambridgeshire):
    unconfirm(school, cambridgeshire)
    complete(draft, teacher)
    client = sign_in(Client(), member(school, Role.ADMINISTRATOR))
    url = reverse("peps:pep_send", args=[draft.pk])
    assert client.post(url, {"email": cambridgeshire.email}).status_code == 403
    assert not OutboxMessage.objects.exists()


def test_another_schools_teacher_cannot_send_this_schools_pep(
    school, draft, teacher, cambridgeshire, other_school_dt_client
):
    unconfirm(school, cambridgeshire)
    complete(draft, teacher)
    response = other_school_dt_client.post(
        reverse("peps:pep_send", args=[draft.pk]), {"email": cambridgeshire.email}
    )
    assert response.status_code == 404
    assert not OutboxMessage.objects.exists()


def test_confirming_while_the_pdf_is_being_made_sends_it_once_made(
    school, draft, teacher, cambridgeshire
):
    unconfirm(school, cambridgeshire)
    complete(draft, teacher, render=False)
    client = sign_in(Client(), teacher)
    response = client.post(
        reverse("peps:pep_send", args=[draft.pk]), {"email": cambridgeshire.email}
    )
    assert response.status_code == 302
    # The request made no PDF: the one being made is sent when the worker finishes it.
    assert not OutboxMessage.objects.exists()
    assert ReportRun.objects.get().parameters == {"pep": draft.pk, "send": True}
    assert render_report_runs() == 1
    message = OutboxMessage.objects.get()
    assert message.recipient == cambridgeshire.email
    assert bytes(message.attachment).startswith(b"%PDF")


def test_a_pdf_that_failed_is_made_again_when_the_held_pep_is_sent(
    school, draft, teacher, cambridgeshire
):
    unconfirm(school, cambridgeshire)
    complete(draft, teacher, render=False)
    ReportRun.objects.update(state=ReportRun.State.FAILED)
    client = sign_in(Client(), teacher)
    client.post(reverse("peps:pep_send", args=[draft.pk]), {"email": cambridgeshire.email})
    assert render_report_runs() == 1
    assert OutboxMessage.objects.get().recipient == cambridgeshire.email


def test_the_pep_page_says_the_pdf_is_being_made_for_a_confirmed_address(
    draft, teacher, cambridgeshire
):
    complete(draft, teacher, render=False)
    client = sign_in(Client(), teacher)
    page = client.get(reverse("peps:pep", args=[draft.pk])).content.decode()
    assert "Harbour is making the PDF and will send it to" in page
    assert f"at {cambridgeshire.email}" in page
    assert "The PDF has not been sent" not in page
