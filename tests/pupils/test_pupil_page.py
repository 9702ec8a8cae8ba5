"""The child's page: who may open it, what it shows, and that every open is audited."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEvent
from pupils.models import EpisodeKind as K
from tests.pupil_factories import CareEpisodeFactory, ContactFactory, KeyAdultFactory, PupilFactory

D = dt.date
pytestmark = pytest.mark.django_db


def url(pupil):
    return reverse("pupils:pupil", args=[pupil.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dt_client", 200),
        ("dsl_client", 200),
        ("deputy_dsl_client", 200),
        ("head_client", 200),
        ("governor_client", 403),
        ("staff_client", 403),
        ("school_admin_client", 403),
    ],
)
def test_who_may_open_a_childs_record(request, pupil, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(url(pupil)).status_code == status


def test_a_child_of_another_school_is_not_found(other_school_dt_client, pupil):
    assert other_school_dt_client.get(url(pupil)).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, pupil):
    response = client.get(url(pupil))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_open_is_audited_with_the_pupil(dt_client, pupil):
    dt_client.get(url(pupil))
    dt_client.get(url(pupil))
    events = AuditEvent.objects.filter(action="pupil.viewed", pupil_id=pupil.pk)
    assert events.count() == 2
    assert events.first().school == pupil.school


def test_a_refused_open_is_not_recorded_as_a_view(governor_client, pupil):
    governor_client.get(url(pupil))
    assert not AuditEvent.objects.filter(action="pupil.viewed").exists()


def test_shows_key_facts_contacts_history_and_chronology(dt_client, pupil, school):
    CareEpisodeFactory(
        pupil=pupil, kind=K.CHILD_IN_NEED_PLAN, start_date=D(2019, 1, 7), end_date=D(2021, 2, 1)
    )
    CareEpisodeFactory(pupil=pupil, kind=K.IN_CARE, start_date=D(2024, 1, 8), legal_basis="s31")
    ContactFactory(
        pupil=pupil, name="Dan Price", team="Children in care team", start_date=D(2024, 1, 8)
    )
    from accounts.roles import Role
    from tests.conftest import member

    KeyAdultFactory(
        pupil=pupil,
        user=member(school, Role.STAFF, full_name="Sam Turner"),
        start_date=D(2024, 2, 1),
    )
    response = dt_client.get(url(pupil))
    text = response.text
    assert "Amelia Okonkwo" in text
    assert "Child in care" in text
    assert "Section 31: care order" in text
    assert "Dan Price" in text and "Children in care team" in text
    assert "Sam Turner" in text
    assert "In care started" in text and "Child in Need plan ended" in text
    assert text.index("In care started") < text.index("Child in Need plan ended")


def test_a_cwsw_child_shows_the_day_they_leave_the_cohort(dt_client, school):
    import time_machine

    pupil = PupilFactory(school=school, date_of_birth=D(2012, 1, 1))
    CareEpisodeFactory(
        pupil=pupil,
        kind=K.CHILD_PROTECTION_PLAN,
        start_date=D(2019, 1, 1),
        end_date=D(2020, 12, 23),
    )
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0)):
        response = dt_client.get(url(pupil))
    assert "Leaves the cohort on 23 December 2026" in response.text


def test_edit_links_only_for_roles_that_may_edit(dt_client, dsl_client, pupil):
    edit = reverse("pupils:pupil_edit", args=[pupil.pk])
    assert edit in dt_client.get(url(pupil)).text
    assert edit not in dsl_client.get(url(pupil)).text


def test_head_can_follow_the_record_to_its_audit_trail(head_client, school):
    child = PupilFactory(school=school)
    page = head_client.get(reverse("pupils:pupil", args=[child.pk])).content.decode()
    trail = f"{reverse('accounts:audit')}?pupil_id={child.pk}"
    assert trail in page
    assert "pupil.viewed" in head_client.get(trail).content.decode()


def test_designated_teacher_is_not_offered_the_audit_trail(dt_client, school):
    child = PupilFactory(school=school)
    page = dt_client.get(reverse("pupils:pupil", args=[child.pk])).content.decode()
    assert reverse("accounts:audit") not in page


def test_a_care_episode_left_open_past_the_18th_birthday_is_flagged(dt_client, school):
    import time_machine

    from pupils.cohort import episodes_open_past_18

    adult = PupilFactory(school=school, date_of_birth=D(2008, 3, 10))  # 18 on 10 Mar 2026
    care = CareEpisodeFactory(pupil=adult, kind=K.IN_CARE, start_date=D(2020, 1, 1))
    # The day before the birthday an open episode is right; on the birthday it is not.
    assert episodes_open_past_18([care], adult.date_of_birth, D(2026, 3, 9)) == []
    assert episodes_open_past_18([care], adult.date_of_birth, D(2026, 3, 10)) == [care]
    # Ending on the birthday is right; ending later is not, whatever today is.
    care.end_date = D(2026, 3, 10)
    assert episodes_open_past_18([care], adult.date_of_birth, D(2030, 1, 1)) == []
    care.end_date = D(2026, 3, 11)
    assert episodes_open_past_18([care], adult.date_of_birth, D(2025, 1, 1)) == [care]
    # An adoption does not end at 18.
    adopted = CareEpisodeFactory.build(
        pupil=adult, kind=K.PREVIOUSLY_IN_CARE, start_date=D(2021, 1, 1), legal_basis="adoption"
    )
    assert episodes_open_past_18([adopted], adult.date_of_birth, D(2027, 1, 1)) == []

    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        html = " ".join(dt_client.get(url(adult)).content.decode().split())
    assert "still open after their 18th birthday on 10 March 2026" in html


def test_a_guessed_start_of_care_is_shown_as_not_confirmed_until_the_teacher_confirms_it(
    dt_client, pupil
):
    episode = CareEpisodeFactory(
        pupil=pupil, kind=K.IN_CARE, start_date=D(2025, 9, 12), start_date_confirmed=False
    )

    page = dt_client.get(url(pupil)).content.decode()
    assert "Not confirmed" in page
    assert "Harbour guessed this date from an import" in page

    # "Correct", saved with the date as it was, confirms it.
    edit = reverse("pupils:episode_edit", args=[pupil.pk, episode.pk])
    response = dt_client.post(edit, {"kind": "in_care", "start_date": "12/9/2025"})

    assert response.status_code == 302, response.content.decode()[:2000]
    episode.refresh_from_db()
    assert episode.start_date_confirmed
    assert "Not confirmed" not in dt_client.get(url(pupil)).content.decode()
