"""Review: need-to-know walls that the review checked and found sound, kept as regressions."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditEvent
from peps.models import PersonalEducationPlan
from tests.conftest import member
from tests.peps.matrix import pep_records
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, PupilFactory

pytestmark = pytest.mark.django_db


def test_an_episode_of_another_pupil_of_the_same_school_is_not_found(dt_client, school):
    child, sibling = PupilFactory(school=school), PupilFactory(school=school)
    episode = CareEpisodeFactory(pupil=sibling)
    for name in ("pupils:episode_edit", "pupils:episode_end"):
        url = reverse(name, args=[child.pk, episode.pk])
        assert dt_client.get(url).status_code == 404
        assert dt_client.post(url, {"end_date": "01/09/2026"}).status_code == 404
    episode.refresh_from_db()
    assert episode.end_date is None


def test_a_contact_of_another_pupil_of_the_same_school_is_not_found(dt_client, school):
    child, sibling = PupilFactory(school=school), PupilFactory(school=school)
    contact = ContactFactory(pupil=sibling)
    for name in ("pupils:contact_edit", "pupils:contact_end"):
        assert dt_client.get(reverse(name, args=[child.pk, contact.pk])).status_code == 404


def test_a_key_adult_from_another_school_is_neither_offered_nor_accepted(
    dt_client, school, other_school
):
    child = PupilFactory(school=school)
    ours = member(school, Role.STAFF, full_name="Olive Ours")
    theirs = member(other_school, Role.STAFF, full_name="Tess Theirs")
    url = reverse("pupils:contact_add", args=[child.pk, "key_adult"])
    offered = set(dt_client.get(url).context["form"].fields["user"].queryset)
    assert ours in offered and theirs not in offered
    response = dt_client.post(url, {"user": theirs.pk, "start_date": "01/09/2026"})
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert not child.contacts.exists()


def test_every_edit_url_of_a_completed_pep_changes_nothing(dt_client, school):
    records = pep_records(school)
    completed = records["completed"]
    target = completed.targets.get()
    gets = ["pep_edit", "attendee_add", "attainment_add", "target_add", "pep_complete"]
    for name in gets:
        url = reverse(f"peps:{name}", args=[completed.pk])
        assert dt_client.post(url, {"name": "X", "role": "carer"}).status_code == 302
    assert dt_client.post(
        reverse("peps:target_edit", args=[completed.pk, target.pk]), {"area": "academic"}
    ).url == reverse("peps:pep", args=[completed.pk])
    dt_client.post(reverse("peps:target_remove", args=[completed.pk, target.pk]))
    dt_client.post(reverse("peps:pep_discard", args=[completed.pk]))
    completed.refresh_from_db()
    assert completed.status == PersonalEducationPlan.Status.COMPLETED
    assert completed.targets.count() == 1 and not completed.attendees.exists()


def test_a_dsl_reads_a_pep_but_cannot_change_it(dsl_client, school):
    draft = pep_records(school)["draft"]
    assert dsl_client.get(reverse("peps:pep", args=[draft.pk])).status_code == 200
    assert dsl_client.get(reverse("peps:pep_edit", args=[draft.pk])).status_code == 403
    assert dsl_client.get(reverse("pupils:pupil_edit", args=[draft.pupil_id])).status_code == 403


@pytest.mark.parametrize("persona", ["governor_client", "staff_client", "school_admin_client"])
def test_no_child_for_governors_staff_or_administrators(request, persona, school):
    client = request.getfixturevalue(persona)
    draft = pep_records(school)["draft"]
    for url in (
        reverse("pupils:cohort_csv"),
        reverse("pupils:pupil", args=[draft.pupil_id]),
        reverse("peps:pep_pdf", args=[draft.pk]),
    ):
        assert client.get(url).status_code == 403


def test_another_schools_pep_pdf_is_not_found_and_not_audited(other_school_dt_client, school):
    draft = pep_records(school)["draft"]
    response = other_school_dt_client.get(reverse("peps:pep_pdf", args=[draft.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="pep.pdf_downloaded").exists()


def test_cohort_csv_is_an_attachment_with_a_plain_name_and_is_audited(dt_client, school):
    PupilFactory(school=school, legal_surname="=HYPERLINK(1)")
    response = dt_client.get(reverse("pupils:cohort_csv"), {"leavers": "on"})
    assert response["Content-Disposition"].startswith('attachment; filename="cohort-')
    assert "'=HYPERLINK(1)" in response.content.decode()
    assert AuditEvent.objects.filter(action="cohort.exported").exists()
